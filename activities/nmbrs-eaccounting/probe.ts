/**
 * `nmbrsEaProbe` (Nmbrs queue): what a due tick of the Nmbrs → Visma eAccounting koppeling must
 * read to notice that a cycle has work, and nothing more.
 *
 * Nmbrs calls, and why each is needed (the same as nmbrs-eboekhouden: both book the same journals):
 *  - `Run_GetList` once per year from `syncFromYear` to this year (usually 1, in January 2): a new
 *    run, a run processed (locked), a run re-done. This is the only list of runs Nmbrs has.
 *  - `Journals_GetByRunCompany_v2` once per run the cycle would send (locked runs; every run with
 *    `lockedRunsOnly` off). Nmbrs recalculates journals in place (contracts/nmbrs.md §4 "Journal
 *    mutability") and nothing in `Run_GetList` shows it; a sent run's change is sent as a correction
 *    (reversal + new voucher), so only the journal shows that work. Unlocked runs are not read.
 * Not read: eAccounting (the target: fiscal years, accounts and the lock date are read by the cycle
 * when it has a run to send; a run that could not be sent ends the cycle `partial` or
 * `blocked_mapping`, which never sets the watermark), `Company_GetList` (the company name only
 * labels new vouchers), and the ledger.
 *
 * MongoDB: the koppeling (one find; the Nmbrs credentials come from the probe cache, see
 * activities/probe.ts) and, with `autoSend` off only, the pending manual send requests (one find):
 * the API starts a cycle when a run is sent by hand (POST …/runs/:runId/send), and a request that
 * this start did not reach (Temporal away, the koppeling paused or blocked at that moment) is then
 * still seen by the next due tick. So an idle tick costs 1 (autoSend) or 2 (manual) MongoDB reads.
 */
import { NMBRS_EACCOUNTING, nmbrsEaccountingSettings } from '../../src/koppelingen/nmbrs-eaccounting/settings';
import type { ActivityDeps } from '../deps';
import { fingerprintOf, probeSupport, type ProbeInput, type ProbeResult } from '../probe';
import { nmbrsClientWith, runsFingerprint } from '../nmbrs-journal';
import { alive } from '../support';
import type { Reader } from './reader';

export function probe(deps: ActivityDeps, r: Reader) {
  const support = probeSupport(deps);
  return async function nmbrsEaProbe(input: ProbeInput): Promise<ProbeResult> {
    const k = await support.load(input.koppelingId, NMBRS_EACCOUNTING);
    const settings = nmbrsEaccountingSettings.parse(k.settings);
    if (!settings.active) return fingerprintOf(k, { active: false });
    const { nmbrs: creds } = await support.secrets(k, ['nmbrs']);
    // A request is removed once its run is sent: the watermark then no longer matches, and one more
    // cycle (sending nothing) follows before the ticks go idle.
    const requests = settings.autoSend
      ? []
      : (await r.sendRequests().find({ koppelingId: k._id }, { projection: { runId: 1 } }).toArray()).map((q) => q.runId).sort((a, b) => a - b);
    const client = nmbrsClientWith(deps, creds, settings.nmbrsTimeoutMs);
    // Heartbeats while it reads: a killed worker's probe is retried after the short heartbeat timeout.
    return alive(async () => {
      const seen = await runsFingerprint(client, settings);
      return fingerprintOf(k, { runs: seen, requests });
    });
  };
}

/**
 * `nmbrsEbProbe` (Nmbrs queue): what a due tick of the Nmbrs → e-Boekhouden koppeling must read to
 * notice that a cycle has work, and nothing more.
 *
 * Nmbrs calls, and why each is needed:
 *  - `Run_GetList` once per year from `syncFromYear` to this year (usually 1, in January 2): a new
 *    run, a run (un)locked, a run re-done. This is the only list of runs Nmbrs has.
 *  - `Journals_GetByRunCompany_v2` once per run the cycle would book (locked runs; every run with
 *    `lockedRunsOnly` off). Nmbrs recalculates journals in place, e.g. after a change of the
 *    grootboekrekeningschema (contracts/nmbrs.md §4 "Journal mutability"), and nothing in
 *    `Run_GetList` shows it (RunAt and IsLocked stay); there is no change date or feed and no cheaper
 *    call of the rights the koppeling already needs. The cycle books the journal's content, so only
 *    the journal shows that change. Unlocked runs are not read: locking shows in `Run_GetList`.
 * Not read: e-Boekhouden (the target; the ledger says what was booked), and of MongoDB only the
 * koppeling (one find; the credentials come from the probe cache, see activities/probe.ts).
 *
 * So an idle daily tick reads from Nmbrs what the scan reads, and saves the rest of a cycle: the
 * ledger and staging in MongoDB, the child workflow, the status and log writes.
 */
import { NMBRS_EBOEKHOUDEN, nmbrsEboekhoudenSettings } from '../../src/koppelingen/nmbrs-eboekhouden/settings';
import type { ActivityDeps } from '../deps';
import { fingerprintOf, probeSupport, type ProbeInput, type ProbeResult } from '../probe';
import { nmbrsClientWith, runsFingerprint } from '../nmbrs-journal';
import { alive } from '../support';

export function probe(deps: ActivityDeps) {
  const support = probeSupport(deps);
  return async function nmbrsEbProbe(input: ProbeInput): Promise<ProbeResult> {
    const k = await support.load(input.koppelingId, NMBRS_EBOEKHOUDEN);
    const settings = nmbrsEboekhoudenSettings.parse(k.settings);
    if (!settings.active) return fingerprintOf(k, { active: false });
    const { nmbrs: creds } = await support.secrets(k, ['nmbrs']);
    const client = nmbrsClientWith(deps, creds, settings.nmbrsTimeoutMs);
    // Heartbeats while it reads: a killed worker's probe is retried after the short heartbeat timeout.
    return alive(async () => {
      const seen = await runsFingerprint(client, settings);
      return fingerprintOf(k, { runs: seen });
    });
  };
}

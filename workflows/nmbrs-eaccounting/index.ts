/**
 * One cycle of the Nmbrs → Visma eAccounting koppeling: a child of the koppeling's entity workflow.
 * The scan (Nmbrs queue) says which processed runs need sending; each run is sent by its own
 * activity (eAccounting queue), a few at a time. Arguments and results are ids, hashes and counts.
 *
 * A run with a missing or blocked account does not stop the others; the cycle then ends
 * `blocked_mapping` naming them. An auth or module error stops the cycle (the entity waits for
 * `reauthorized`). A missing fiscal year or a locked period is reported (`partial`), not retried
 * in a loop: the next cycle tries a missing year again, a locked one only when the run changes.
 * A 429 makes the activity wait the stated seconds (RateLimited → nextRetryDelay).
 */
import { proxyActivities } from '@temporalio/workflow';
import type { NmbrsEaccountingActivities, PostRunResult } from '../../activities/nmbrs-eaccounting';
import { NON_RETRYABLE_TYPES } from '../../src/domain/errors';
import { EACCOUNTING } from '../../src/systems/eaccounting/identity';
import { NMBRS } from '../../src/systems/nmbrs/identity';
import type { CycleError, CycleInput, CycleOutcome } from '../cycle';
import { koppelFailureInfo } from '../failure-info';

import type { RetryPolicy } from '@temporalio/common';

const retry: RetryPolicy = {
  initialInterval: '1s',
  backoffCoefficient: 2,
  maximumInterval: '60s',
  maximumAttempts: 8,
  nonRetryableErrorTypes: [...NON_RETRYABLE_TYPES],
};

const { nmbrsEaScanRuns } = proxyActivities<Pick<NmbrsEaccountingActivities, 'nmbrsEaScanRuns'>>({
  taskQueue: NMBRS.taskQueue,
  startToCloseTimeout: '30m',
  heartbeatTimeout: '8s',
  retry,
});
const { nmbrsEaPostRun } = proxyActivities<Pick<NmbrsEaccountingActivities, 'nmbrsEaPostRun'>>({
  taskQueue: EACCOUNTING.taskQueue,
  startToCloseTimeout: '30m',
  heartbeatTimeout: '8s',
  retry,
});

export const RUN_CONCURRENCY = 4;

type Counts = Record<'runs' | 'verstuurd' | 'gecorrigeerd' | 'ongewijzigd' | 'nietVerwerkt' | 'wachtOpHandmatig' | 'vergrendeld' | 'eerderVergrendeld' | 'geenBoekjaar' | 'geblokkeerd' | 'mislukt' | 'vouchers' | 'tegenboekingen', number>;

const byCode = (a: string, b: string) => a.localeCompare(b, 'nl', { numeric: true });

export async function nmbrsEaccountingCycle(input: CycleInput): Promise<CycleOutcome> {
  const ids = { tenantId: input.tenantId, koppelingId: input.koppelingId, cycleNo: input.cycleNo };
  const scan = await nmbrsEaScanRuns(ids);
  if (!scan.active) return { result: 'ok', counts: {}, summary: 'De koppeling staat niet op actief: er is niets verstuurd.' };

  const c: Counts = {
    runs: scan.runsSeen,
    verstuurd: 0,
    gecorrigeerd: 0,
    ongewijzigd: scan.unchanged,
    nietVerwerkt: scan.notLocked,
    wachtOpHandmatig: scan.waitingForManualSend,
    vergrendeld: 0,
    eerderVergrendeld: scan.lockedBefore,
    geenBoekjaar: 0,
    geblokkeerd: 0,
    mislukt: 0,
    vouchers: 0,
    tegenboekingen: 0,
  };
  const missing = new Set<string>();
  const blockedProblems: string[] = [];
  let failure: CycleError | undefined;
  let retrySoon = false;
  let fatal: unknown;

  const handle = async (work: (typeof scan.work)[number]): Promise<void> => {
    let r: PostRunResult;
    try {
      r = await nmbrsEaPostRun({ ...ids, runKey: work.runKey, hash: work.hash });
    } catch (err) {
      const info = koppelFailureInfo(err);
      if (info?.type === 'ReauthRequired' || info?.type === 'PermissionDenied') {
        fatal ??= err;
        return;
      }
      if (info?.type === 'MappingIncomplete') {
        const codes = info.details?.missingCodes;
        if (Array.isArray(codes)) codes.forEach((x) => missing.add(String(x)));
        c.geblokkeerd++;
        blockedProblems.push(`${work.label}: ${info.oorzaak}`);
        return;
      }
      c.mislukt++;
      failure = info
        ? { type: info.type, system: info.system, code: info.code, oorzaak: `${work.label}: ${info.oorzaak}`, oplossing: info.oplossing }
        : { type: 'Transient', oorzaak: `${work.label}: ${err instanceof Error ? err.message : String(err)}`, oplossing: 'Geen actie nodig: de koppeling probeert het automatisch opnieuw.' };
      if (!info || !(NON_RETRYABLE_TYPES as readonly string[]).includes(info.type)) retrySoon = true;
      return;
    }
    c.vouchers += r.vouchers;
    c.tegenboekingen += r.reversals;
    switch (r.status) {
      case 'sent':
        c.verstuurd++;
        break;
      case 'corrected':
        c.gecorrigeerd++;
        break;
      case 'unchanged':
        c.ongewijzigd++;
        break;
      case 'locked':
        c.vergrendeld++;
        break;
      case 'noFiscalYear':
        c.geenBoekjaar++;
        failure = { type: 'InvalidData', system: 'eaccounting', code: r.problem?.code, oorzaak: r.problem?.oorzaak ?? work.label, oplossing: r.problem?.oplossing ?? '' };
        break;
      case 'blocked':
        c.geblokkeerd++;
        r.missingCodes?.forEach((x) => missing.add(x));
        if (r.problem) blockedProblems.push(r.problem.oorzaak);
        break;
      case 'invalid':
        c.mislukt++;
        failure = { type: 'InvalidData', system: 'nmbrs', oorzaak: `${r.label}: de loonjournaalpost is niet in balans.`, oplossing: 'Controleer de run in Visma Nmbrs; zie het logboek voor de bedragen.' };
        break;
    }
  };
  let next = 0;
  const lane = async () => {
    while (next < scan.work.length && fatal === undefined) await handle(scan.work[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(RUN_CONCURRENCY, scan.work.length) }, lane));
  if (fatal !== undefined) throw fatal;

  const counts = Object.fromEntries(Object.entries(c).filter(([k, v]) => v !== 0 || k === 'runs'));
  const codes = [...missing].sort(byCode);
  const summary = summarize(c, codes);
  if (codes.length) {
    return {
      result: 'blocked_mapping',
      counts,
      summary,
      missingCodes: codes,
      error: {
        type: 'MappingIncomplete',
        system: 'eaccounting',
        oorzaak: blockedProblems.sort(byCode).join(' '),
        oplossing:
          'Maak de rekening aan in Visma eAccounting (of hef de blokkade voor handmatig boeken op), of koppel de looncode in de mapping van de koppeling aan een bestaande rekening; daarna wordt de run alsnog verstuurd.',
      },
    };
  }
  if (failure && retrySoon) return { result: 'failed', counts, summary, error: failure };
  if (failure) return { result: 'partial', counts, summary, error: failure };
  return { result: 'ok', counts, summary };
}

function summarize(c: Counts, codes: string[]): string {
  const parts: string[] = [];
  if (c.verstuurd) parts.push(`${c.verstuurd} verstuurd`);
  if (c.gecorrigeerd) parts.push(`${c.gecorrigeerd} gewijzigd en gecorrigeerd`);
  if (c.ongewijzigd) parts.push(`${c.ongewijzigd} ongewijzigd`);
  if (c.nietVerwerkt) parts.push(`${c.nietVerwerkt} nog niet verwerkt`);
  if (c.wachtOpHandmatig) parts.push(`${c.wachtOpHandmatig} wacht${c.wachtOpHandmatig === 1 ? '' : 'en'} op handmatig versturen`);
  if (c.vergrendeld) parts.push(`${c.vergrendeld} niet verstuurd wegens vergrendelde periode`);
  if (c.eerderVergrendeld) parts.push(`${c.eerderVergrendeld} eerder gemeld als vergrendeld`);
  if (c.geenBoekjaar) parts.push(`${c.geenBoekjaar} wacht${c.geenBoekjaar === 1 ? '' : 'en'} op een boekjaar in eAccounting`);
  if (c.geblokkeerd) parts.push(`${c.geblokkeerd} wacht${c.geblokkeerd === 1 ? '' : 'en'} op rekening ${codes.join(', ')}`);
  if (c.mislukt) parts.push(`${c.mislukt} mislukt`);
  const head = `${c.runs} run${c.runs === 1 ? '' : 's'} bekeken${parts.length ? `: ${parts.join(', ')}` : ''}`;
  const sent = c.vouchers || c.tegenboekingen ? `${c.vouchers} voucher${c.vouchers === 1 ? '' : 's'}${c.tegenboekingen ? ` en ${c.tegenboekingen} tegenboeking${c.tegenboekingen === 1 ? '' : 'en'}` : ''} verstuurd` : 'niets nieuws te versturen';
  return `${head}; ${sent}.`;
}

/**
 * One daily cycle of the Nmbrs → e-Boekhouden koppeling: a child of the koppeling's entity workflow.
 * Orchestration only: the scan (Nmbrs queue) says which runs need work, then each run is booked by
 * its own activity (e-Boekhouden queue). Arguments and results are ids, hashes and counts.
 *
 * A run with a missing grootboekrekening does not stop the others: they are booked first and the
 * cycle then ends `blocked_mapping` with every missing code. Runs are booked a few at a time. An auth error stops the cycle (the
 * entity waits for `reauthorized`); other failures of a run are counted and reported.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { NmbrsEboekhoudenActivities, PostRunResult } from '../../activities/nmbrs-eboekhouden';
import { NON_RETRYABLE_TYPES } from '../../src/domain/errors';
import { EBOEKHOUDEN } from '../../src/systems/eboekhouden/identity';
import { NMBRS } from '../../src/systems/nmbrs/identity';
import type { CycleError, CycleInput, CycleOutcome } from '../cycle';
import { koppelFailureInfo } from '../failure-info';

const retry = {
  initialInterval: '1s',
  backoffCoefficient: 2,
  maximumInterval: '30s',
  maximumAttempts: 8,
  nonRetryableErrorTypes: [...NON_RETRYABLE_TYPES],
} as const;

// The heartbeat timeout is how fast a crashed worker's run is picked up again (activities
// heartbeat every second while they work; calls have their own shorter HTTP timeouts).
const { nmbrsEbScanRuns } = proxyActivities<Pick<NmbrsEboekhoudenActivities, 'nmbrsEbScanRuns'>>({
  taskQueue: NMBRS.taskQueue,
  startToCloseTimeout: '30m',
  heartbeatTimeout: '8s',
  retry: { ...retry, nonRetryableErrorTypes: [...retry.nonRetryableErrorTypes] },
});
const { nmbrsEbPostRun } = proxyActivities<Pick<NmbrsEboekhoudenActivities, 'nmbrsEbPostRun'>>({
  taskQueue: EBOEKHOUDEN.taskQueue,
  startToCloseTimeout: '30m',
  heartbeatTimeout: '8s',
  retry: { ...retry, nonRetryableErrorTypes: [...retry.nonRetryableErrorTypes] },
});

type Counts = Record<
  'runs' | 'geboekt' | 'gecorrigeerd' | 'ongewijzigd' | 'nietVergrendeld' | 'afgeslotenPeriode' | 'eerderOvergeslagen' | 'geblokkeerd' | 'mislukt' | 'memorialen' | 'tegenboekingen',
  number
>;

const byCode = (a: string, b: string) => a.localeCompare(b, 'nl', { numeric: true });

/** Runs booked at the same time, each its own activity and e-Boekhouden session. */
export const RUN_CONCURRENCY = 4;

export async function nmbrsEboekhoudenCycle(input: CycleInput): Promise<CycleOutcome> {
  const ids = { tenantId: input.tenantId, koppelingId: input.koppelingId, cycleNo: input.cycleNo };
  const scan = await nmbrsEbScanRuns(ids);
  if (!scan.active) return { result: 'ok', counts: {}, summary: 'De koppeling staat niet op actief: er is niets gesynchroniseerd.' };

  const c: Counts = {
    runs: scan.runsSeen,
    geboekt: 0,
    gecorrigeerd: 0,
    ongewijzigd: scan.unchanged,
    nietVergrendeld: scan.notLocked,
    afgeslotenPeriode: 0,
    eerderOvergeslagen: scan.skippedBefore,
    geblokkeerd: 0,
    mislukt: 0,
    memorialen: 0,
    tegenboekingen: 0,
  };
  const missing = new Set<string>();
  const blockedRuns: string[] = [];
  let failure: CycleError | undefined;
  let retrySoon = false;
  let closedThrough: string | undefined;
  let fatal: unknown;

  const handle = async (work: (typeof scan.work)[number]): Promise<void> => {
    let r: PostRunResult;
    try {
      r = await nmbrsEbPostRun({ ...ids, runKey: work.runKey, hash: work.hash, closedPeriods: input.closedPeriods, closedThrough });
    } catch (err) {
      const info = koppelFailureInfo(err);
      // Credentials or rights: nothing else will work either; the entity workflow waits for new ones.
      if (info?.type === 'ReauthRequired' || info?.type === 'PermissionDenied') {
        fatal ??= err;
        return;
      }
      if (info?.type === 'MappingIncomplete') {
        const codes = info.details?.missingCodes;
        if (Array.isArray(codes)) codes.forEach((x) => missing.add(String(x)));
        c.geblokkeerd++;
        blockedRuns.push(work.label);
        return;
      }
      c.mislukt++;
      failure = info
        ? { type: info.type, system: info.system, code: info.code, oorzaak: `${work.label}: ${info.oorzaak}`, oplossing: info.oplossing }
        : { type: 'Transient', oorzaak: `${work.label}: ${err instanceof Error ? err.message : String(err)}`, oplossing: 'Geen actie nodig: de koppeling probeert het automatisch opnieuw.' };
      if (!info || !(NON_RETRYABLE_TYPES as readonly string[]).includes(info.type)) retrySoon = true;
      return;
    }
    if (r.closedThrough && (!closedThrough || r.closedThrough > closedThrough)) closedThrough = r.closedThrough;
    c.memorialen += r.mutaties;
    c.tegenboekingen += r.tegenboekingen;
    switch (r.status) {
      case 'posted':
        c.geboekt++;
        break;
      case 'corrected':
        c.gecorrigeerd++;
        break;
      case 'unchanged':
        c.ongewijzigd++;
        break;
      case 'closed':
        c.afgeslotenPeriode++;
        break;
      case 'blocked':
        c.geblokkeerd++;
        blockedRuns.push(r.label);
        r.missingCodes?.forEach((x) => missing.add(x));
        break;
      case 'invalid':
        c.mislukt++;
        failure = { type: 'InvalidData', system: 'nmbrs', oorzaak: `${r.label}: de loonjournaalpost is niet in balans.`, oplossing: 'Controleer de run in Visma Nmbrs; zie het logboek voor de bedragen.' };
        break;
    }
  };
  // Runs are independent (own ledger entries, own references, own session): a few at a time, in
  // order. After an auth error no new run starts; the ones in flight finish first.
  let next = 0;
  const lane = async () => {
    while (next < scan.work.length && fatal === undefined) await handle(scan.work[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(RUN_CONCURRENCY, scan.work.length) }, lane));
  if (fatal !== undefined) throw fatal;
  blockedRuns.sort(byCode);

  const counts = Object.fromEntries(Object.entries(c).filter(([k, v]) => v !== 0 || k === 'runs'));
  const codes = [...missing].sort(byCode);
  const summary = summarize(c, codes);
  if (codes.length) {
    const een = codes.length === 1;
    return {
      result: 'blocked_mapping',
      counts,
      summary,
      missingCodes: codes,
      error: {
        type: 'MappingIncomplete',
        system: 'eboekhouden',
        oorzaak: `Grootboekrekening${een ? '' : 'en'} ${codes.join(', ')} ontbreek${een ? 't' : 'en'} in e-Boekhouden.nl; ${blockedRuns.join(', ')} ${blockedRuns.length === 1 ? 'is' : 'zijn'} daarom niet geboekt.`,
        oplossing:
          'Maak de grootboekrekening aan in e-Boekhouden.nl (Beheer > Inrichting > Grootboekrekeningen) of koppel de looncode in de mapping van de koppeling aan een bestaande grootboekrekening; daarna wordt de run alsnog geboekt.',
      },
    };
  }
  if (failure && retrySoon) return { result: 'failed', counts, summary, error: failure };
  if (failure) return { result: 'partial', counts, summary, error: failure };
  return { result: 'ok', counts, summary };
}

function summarize(c: Counts, codes: string[]): string {
  const parts: string[] = [];
  if (c.geboekt) parts.push(`${c.geboekt} geboekt`);
  if (c.gecorrigeerd) parts.push(`${c.gecorrigeerd} gewijzigd en gecorrigeerd`);
  if (c.ongewijzigd) parts.push(`${c.ongewijzigd} ongewijzigd`);
  if (c.nietVergrendeld) parts.push(`${c.nietVergrendeld} nog niet vergrendeld`);
  if (c.afgeslotenPeriode) parts.push(`${c.afgeslotenPeriode} niet geboekt wegens afgesloten periode`);
  if (c.eerderOvergeslagen) parts.push(`${c.eerderOvergeslagen} eerder overgeslagen (afgesloten periode)`);
  if (c.geblokkeerd) parts.push(`${c.geblokkeerd} wacht${c.geblokkeerd === 1 ? '' : 'en'} op grootboekrekening ${codes.join(', ')}`);
  if (c.mislukt) parts.push(`${c.mislukt} mislukt`);
  const head = `${c.runs} run${c.runs === 1 ? '' : 's'} bekeken${parts.length ? `: ${parts.join(', ')}` : ''}`;
  const booked =
    c.memorialen || c.tegenboekingen
      ? `${c.memorialen} memoria${c.memorialen === 1 ? 'al' : 'len'}${c.tegenboekingen ? ` en ${c.tegenboekingen} tegenboeking${c.tegenboekingen === 1 ? '' : 'en'}` : ''} geboekt`
      : 'niets nieuws te boeken';
  return `${head}; ${booked}.`;
}

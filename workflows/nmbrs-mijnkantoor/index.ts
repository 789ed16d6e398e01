/**
 * One hourly cycle of the Nmbrs ↔ Mijn Kantoor koppeling (seed 001): a child of the koppeling's
 * entity workflow, every hour from 07:00 to 20:00 (the 07:00 cycle catches up on the night).
 * Orchestration only: relations first (so a customer created now gets its documents this hour),
 * then the scan (Nmbrs queue) says which documents changed, then each is filed by its own activity
 * (Mijn Kantoor queue), a few at a time. Login and rights errors stop the cycle (the entity waits);
 * other failures of one document are counted and reported.
 */
import { proxyActivities, type RetryPolicy } from '@temporalio/workflow';
import type { FileResult, NmbrsMijnkantoorActivities, WorkItem } from '../../activities/nmbrs-mijnkantoor';
import { NON_RETRYABLE_TYPES } from '../../src/domain/errors';
import { MIJNKANTOOR } from '../../src/systems/mijnkantoor/identity';
import { NMBRS } from '../../src/systems/nmbrs/identity';
import type { CycleError, CycleInput, CycleOutcome } from '../cycle';
import { koppelFailureInfo } from '../failure-info';

const retry: RetryPolicy = {
  initialInterval: '1s',
  backoffCoefficient: 2,
  maximumInterval: '30s',
  maximumAttempts: 8,
  nonRetryableErrorTypes: [...NON_RETRYABLE_TYPES],
};

const { nmkScan } = proxyActivities<Pick<NmbrsMijnkantoorActivities, 'nmkScan'>>({
  taskQueue: NMBRS.taskQueue,
  startToCloseTimeout: '30m',
  heartbeatTimeout: '8s',
  retry,
});
const { nmkFile, nmkRelations, nmkReport } = proxyActivities<Pick<NmbrsMijnkantoorActivities, 'nmkFile' | 'nmkRelations' | 'nmkReport'>>({
  taskQueue: MIJNKANTOOR.taskQueue,
  startToCloseTimeout: '30m',
  heartbeatTimeout: '8s',
  retry,
});

/** Documents filed at the same time. */
export const FILE_CONCURRENCY = 4;

export async function nmbrsMijnkantoorCycle(input: CycleInput): Promise<CycleOutcome> {
  const ids = { tenantId: input.tenantId, koppelingId: input.koppelingId, cycleNo: input.cycleNo };
  const rel = await nmkRelations(ids);
  const scan = await nmkScan(ids);
  const c = {
    bedrijven: scan.companies,
    gekoppeld: scan.matched,
    gearchiveerd: 0,
    nieuweVersie: 0,
    ongewijzigd: scan.unchanged,
    wachtend: scan.waiting,
    mislukt: 0,
    relatiesAangemaakt: rel.created,
    relatiesBijgewerkt: rel.updated,
    contactpersonen: rel.contacts,
    conflicten: 0,
  };
  const conflicts = [...rel.conflicts, ...scan.conflicts.filter((x) => !rel.conflicts.some((y) => y.relation === x.relation))];
  c.conflicten = conflicts.length;
  let failure: CycleError | undefined;
  let retrySoon = false;
  let fatal: unknown;

  const handle = async (item: WorkItem) => {
    let r: FileResult;
    try {
      r = await nmkFile({ ...ids, item });
    } catch (err) {
      const info = koppelFailureInfo(err);
      if (info?.type === 'ReauthRequired' || info?.type === 'PermissionDenied') {
        fatal ??= err;
        return;
      }
      c.mislukt++;
      failure = info
        ? { type: info.type, system: info.system, code: info.code, oorzaak: `${item.label}: ${info.oorzaak}`, oplossing: info.oplossing }
        : { type: 'Transient', oorzaak: `${item.label}: ${err instanceof Error ? err.message : String(err)}`, oplossing: 'Geen actie nodig: de koppeling probeert het automatisch opnieuw.' };
      if (!info || !(NON_RETRYABLE_TYPES as readonly string[]).includes(info.type)) retrySoon = true;
      return;
    }
    if (r.status === 'filed') c.gearchiveerd++;
    else if (r.status === 'newVersion') c.nieuweVersie++;
    else c.ongewijzigd++;
  };
  let next = 0;
  const lane = async () => {
    while (next < scan.work.length && fatal === undefined) await handle(scan.work[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(FILE_CONCURRENCY, scan.work.length) }, lane));
  if (fatal !== undefined) throw fatal;
  if (conflicts.length || scan.waiting) {
    await nmkReport({ ...ids, waiting: scan.waitingReasons, waitingTotal: scan.waiting, conflicts });
  }

  const counts = Object.fromEntries(Object.entries(c).filter(([k, v]) => v !== 0 || k === 'bedrijven'));
  const summary = summarize(c);
  if (failure) return { result: retrySoon ? 'failed' : 'partial', counts, summary, error: failure };
  if (conflicts.length) {
    return {
      result: 'partial',
      counts,
      summary,
      error: {
        type: 'InvalidData',
        oorzaak: `${conflicts.length} relatie${conflicts.length === 1 ? ' is' : 's zijn'} niet gekoppeld: ${conflicts.slice(0, 3).map((x) => `${x.name} (${x.reason})`).join('; ')}${conflicts.length > 3 ? ' …' : ''}`,
        oplossing: 'Zie het logboek van de koppeling voor elke relatie en wat er moet gebeuren; de andere relaties zijn gewoon gesynchroniseerd.',
      },
    };
  }
  return { result: 'ok', counts, summary };
}

function summarize(c: Record<string, number>): string {
  const parts: string[] = [];
  if (c.gearchiveerd) parts.push(`${c.gearchiveerd} document${c.gearchiveerd === 1 ? '' : 'en'} gearchiveerd`);
  if (c.nieuweVersie) parts.push(`${c.nieuweVersie} nieuwe versie${c.nieuweVersie === 1 ? '' : 's'} na herberekening`);
  if (c.ongewijzigd) parts.push(`${c.ongewijzigd} ongewijzigd`);
  if (c.wachtend) parts.push(`${c.wachtend} wacht${c.wachtend === 1 ? '' : 'en'} (nog niet vergrendeld of andere status)`);
  if (c.mislukt) parts.push(`${c.mislukt} mislukt`);
  const rel: string[] = [];
  if (c.relatiesAangemaakt) rel.push(`${c.relatiesAangemaakt} aangemaakt`);
  if (c.relatiesBijgewerkt) rel.push(`${c.relatiesBijgewerkt} bijgewerkt`);
  if (c.contactpersonen) rel.push(`${c.contactpersonen} werknemer${c.contactpersonen === 1 ? '' : 's'} als contactpersoon`);
  if (c.conflicten) rel.push(`${c.conflicten} niet gekoppeld`);
  return (
    `${c.gekoppeld} van ${c.bedrijven} bedrijven gekoppeld; ${parts.length ? parts.join(', ') : 'niets nieuws te archiveren'}` +
    (rel.length ? `; relaties: ${rel.join(', ')}` : '') +
    '.'
  );
}

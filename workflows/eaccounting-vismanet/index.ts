/**
 * One sync cycle of the eAccounting ↔ Visma.net koppeling (child of the koppeling workflow), the
 * flows in the seed's order, each only when switched on:
 *
 *   1. products   eAccounting articles → Visma.net inventory (before orders: orders need them)
 *   2. customers  eAccounting customers → Visma.net customers
 *   3. orders     eAccounting orders with a selected status → Visma.net sales orders, confirmed
 *
 * Per flow a scan on the eAccounting queue stages what needs pushing; pushes on the Visma.net queue
 * take it in bounded batches, a few at a time, so the history stays small. An item that fails or
 * waits does not stop the others (outcome `partial`); an auth problem ends the cycle, and the
 * koppeling waits for new credentials.
 */
import type { ActivityOptions } from '@temporalio/workflow';
import { proxyActivities } from '@temporalio/workflow';
import type { EaccountingVismanetActivities, EvFlow, EvPushResult } from '../../activities/eaccounting-vismanet';
import { EACCOUNTING } from '../../src/systems/eaccounting/identity';
import { VISMANET } from '../../src/systems/vismanet/identity';
import type { CycleError, CycleInput, CycleOutcome } from '../cycle';
import { koppelFailureInfo } from '../failure-info';

/** Items per push activity. */
export const PUSH_BATCH_SIZE = 25;
/** Push activities running at once per koppeling. */
export const PUSH_LANES = 3;

// A killed worker stops heartbeating (activities beat every second): the activity is retried after
// a few seconds, not after its long timeout.
const external: ActivityOptions = {
  startToCloseTimeout: '30m',
  heartbeatTimeout: '8s',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '30s', maximumAttempts: 10, nonRetryableErrorTypes: ['ReauthRequired', 'PermissionDenied', 'InvalidData'] },
};

const { evPlan } = proxyActivities<Pick<EaccountingVismanetActivities, 'evPlan'>>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '1s', maximumInterval: '10s', maximumAttempts: 10 },
});
const ea = proxyActivities<Pick<EaccountingVismanetActivities, 'evScan'>>({ ...external, taskQueue: EACCOUNTING.taskQueue });
const vn = proxyActivities<Pick<EaccountingVismanetActivities, 'evPush'>>({ ...external, taskQueue: VISMANET.taskQueue });

const FLOWS: EvFlow[] = ['products', 'customers', 'orders'];
const WORDS: Record<EvFlow, { one: string; many: string }> = {
  products: { one: 'artikel', many: 'artikelen' },
  customers: { one: 'klant', many: 'klanten' },
  orders: { one: 'order', many: 'orders' },
};

function isAuthFailure(err: unknown): boolean {
  const t = koppelFailureInfo(err)?.type;
  return t === 'ReauthRequired' || t === 'PermissionDenied';
}

function errorOf(err: unknown, fallback: string): CycleError {
  const info = koppelFailureInfo(err);
  if (info) return { type: info.type, system: info.system, code: info.code, oorzaak: info.oorzaak, oplossing: info.oplossing };
  return { type: 'Transient', oorzaak: `${fallback}: ${err instanceof Error ? err.message : String(err)}`, oplossing: 'Geen actie nodig: de koppeling probeert het bij de volgende synchronisatie opnieuw.' };
}

function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export async function eaccountingVismanetCycle(input: CycleInput): Promise<CycleOutcome> {
  const ref = { tenantId: input.tenantId, koppelingId: input.koppelingId, cycleNo: input.cycleNo };
  const plan = await evPlan(ref);
  const counts: Record<string, number> = {};
  const errors: CycleError[] = [];
  const parts: string[] = [];
  let problems = 0;

  for (const flow of FLOWS.filter((f) => plan[f])) {
    const total: EvPushResult = { created: 0, updated: 0, skipped: 0, waiting: 0, failed: 0, errors: [] };
    let deferred = 0;
    try {
      const scanned = await ea.evScan({ ...ref, flow });
      deferred = scanned.deferred;
      const batches = chunk(scanned.keys, PUSH_BATCH_SIZE);
      let next = 0;
      let authFailure: unknown;
      const lane = async () => {
        while (next < batches.length && authFailure === undefined) {
          const keys = batches[next++];
          try {
            const r = await vn.evPush({ ...ref, flow, keys });
            total.created += r.created;
            total.updated += r.updated;
            total.skipped += r.skipped;
            total.waiting += r.waiting;
            total.failed += r.failed;
            errors.push(...r.errors.slice(0, Math.max(0, 3 - errors.length)));
          } catch (err) {
            if (isAuthFailure(err)) {
              authFailure = err;
              return;
            }
            // The whole batch failed after Temporal's retries: its items are tried again next cycle.
            total.failed += keys.length;
            errors.push(errorOf(err, `${WORDS[flow].many} naar Visma.net sturen mislukt`));
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(PUSH_LANES, batches.length) }, lane));
      if (authFailure !== undefined) throw authFailure;
    } catch (err) {
      if (isAuthFailure(err)) throw err;
      errors.push(errorOf(err, `${WORDS[flow].many} lezen uit eAccounting mislukt`));
      total.failed++;
    }
    const w = WORDS[flow];
    counts[`${flow}Aangemaakt`] = total.created;
    if (total.updated) counts[`${flow}Bijgewerkt`] = total.updated;
    if (total.skipped) counts[`${flow}Overgeslagen`] = total.skipped;
    if (total.waiting) counts[`${flow}Wachtend`] = total.waiting;
    if (total.failed) counts[`${flow}Mislukt`] = total.failed;
    problems += total.waiting + total.failed;
    const line = [`${total.created} ${total.created === 1 ? w.one : w.many} aangemaakt`];
    if (total.updated) line.push(`${total.updated} bijgewerkt`);
    if (total.skipped) line.push(`${total.skipped} overgeslagen`);
    if (total.waiting) line.push(`${total.waiting} wacht${total.waiting === 1 ? '' : 'en'} op producten`);
    if (total.failed) line.push(`${total.failed} mislukt`);
    if (deferred) line.push(`${deferred} volgende keer`);
    parts.push(line.join(', '));
  }

  const summary = parts.length ? parts.join(' · ') : 'Alle flows staan uit: niets te doen.';
  return { result: problems || errors.length ? 'partial' : 'ok', counts, summary, ...(errors.length ? { error: errors[0] } : {}) };
}

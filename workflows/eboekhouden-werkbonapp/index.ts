/**
 * One sync cycle of the e-Boekhouden ↔ WerkbonApp koppeling (child of the koppeling workflow):
 *
 *   1. import  e-Boekhouden → WerkbonApp: relaties, materialen, uursoorten (only changed records)
 *   2. export  released Compleet werkbonnen → relaties (optional) → invoices → werkbon Afgehandeld
 *
 * Werkbonnen go in batches, a few batches at a time; a werkbon that fails stays Compleet and is
 * tried again next cycle while the others go on (outcome `partial`). Payloads are ids and counts:
 * the activities read settings and credentials themselves and keep drafts in MongoDB.
 */
import { patched, proxyActivities, sleep, type ActivityOptions } from '@temporalio/workflow';
import type { CatalogPushResult, WerkbonAppActivities, WerkbonCycleRef } from '../../activities/eboekhouden-werkbonapp';
import { EBOEKHOUDEN } from '../../src/systems/eboekhouden/identity';
import { WERKBONAPP } from '../../src/systems/werkbonapp/identity';
import type { CycleError, CycleInput, CycleOutcome } from '../cycle';
import { koppelFailureInfo } from '../failure-info';

/** Werkbonnen per invoice activity (one e-Boekhouden session each). */
export const INVOICE_BATCH_SIZE = 25;
/** Invoice activities running at once per koppeling. */
export const INVOICE_LANES = 4;

// A killed worker stops heartbeating (activities beat every second): the activity is retried after
// 5 s, not after its long timeout.
const external: ActivityOptions = {
  startToCloseTimeout: '30m',
  heartbeatTimeout: '5s',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '20s', maximumAttempts: 10 },
};

const { werkbonPlan } = proxyActivities<Pick<WerkbonAppActivities, 'werkbonPlan'>>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '1s', maximumInterval: '10s', maximumAttempts: 10 },
});
const eb = proxyActivities<Pick<WerkbonAppActivities, 'werkbonReadCatalog' | 'werkbonExportRelaties' | 'werkbonExportInvoices'>>({
  ...external,
  taskQueue: EBOEKHOUDEN.taskQueue,
});
const wa = proxyActivities<Pick<WerkbonAppActivities, 'werkbonPushCatalog' | 'werkbonCollect' | 'werkbonMarkAfgehandeld'>>({
  ...external,
  taskQueue: WERKBONAPP.taskQueue,
});

/** Version marker: the push runs every cycle and re-imports records WerkbonApp lost. */
const LOST_RECORDS_CHECK = 'werkbon-lost-records-check';

type Kind = 'relaties' | 'materialen' | 'uursoorten';
const KINDS: Kind[] = ['relaties', 'materialen', 'uursoorten'];
/** WerkbonApp's own wording in its log (seed 003): "4 relations synchronized 1 materials synchronized". */
const SEED_WORDS: Record<Kind, string> = { relaties: 'relations', materialen: 'materials', uursoorten: 'hourtypes' };

/** Auth problems end the cycle: the koppeling waits for new credentials instead of going on. */
function rethrowIfAuth(err: unknown): void {
  const t = koppelFailureInfo(err)?.type;
  if (t === 'ReauthRequired' || t === 'PermissionDenied') throw err;
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

/** Runs `fn` over the items with at most `lanes` at a time; the first auth failure is thrown after all settle. */
async function inLanes<T>(items: T[], lanes: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let authFailure: unknown;
  const lane = async () => {
    while (next < items.length && !authFailure) {
      const item = items[next++];
      try {
        await fn(item);
      } catch (err) {
        try {
          rethrowIfAuth(err);
        } catch {
          authFailure = err;
          return;
        }
        throw err; // fn handles everything else itself
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(lanes, items.length) }, lane));
  if (authFailure) throw authFailure;
}

export async function eboekhoudenWerkbonappCycle(input: CycleInput): Promise<CycleOutcome> {
  const ref: WerkbonCycleRef = { tenantId: input.tenantId, koppelingId: input.koppelingId, cycleNo: input.cycleNo };
  const plan = await werkbonPlan(ref);
  const counts: Record<string, number> = {};
  const errors: CycleError[] = [];
  const parts: string[] = [];
  let fatal: CycleError | undefined;

  // --- 1. import --------------------------------------------------------------------------------
  const kinds = KINDS.filter((k) => plan.import[k]);
  if (kinds.length) {
    const synced: Partial<Record<Kind, number>> = Object.fromEntries(kinds.map((k) => [k, 0]));
    try {
      const read = await eb.werkbonReadCatalog(ref);
      if (read.skipped) counts.importOvergeslagen = read.skipped;
      const add = (pushed: CatalogPushResult) => {
        for (const k of kinds) synced[k] = (synced[k] ?? 0) + (pushed.synced[k] ?? 0);
        errors.push(...pushed.errors);
      };
      // Since the check for records WerkbonApp lost, the push runs every cycle (it does that check);
      // cycles started before it replay the old way.
      if (patched(LOST_RECORDS_CHECK)) {
        const pushed = await wa.werkbonPushCatalog(ref);
        add(pushed);
        const lost = Object.values(pushed.lost ?? {}).reduce((a, b) => a + (b ?? 0), 0);
        if (lost > 0) {
          // The push forgot what WerkbonApp lost: read and push once more, so it is back this cycle.
          counts.hersteld = lost;
          await eb.werkbonReadCatalog(ref);
          add(await wa.werkbonPushCatalog(ref));
        }
      } else if (Object.values(read.staged).some((n) => (n ?? 0) > 0)) {
        add(await wa.werkbonPushCatalog(ref));
      }
    } catch (err) {
      rethrowIfAuth(err);
      errors.push(errorOf(err, 'Import mislukt'));
    }
    for (const k of kinds) counts[k] = synced[k] ?? 0;
    parts.push(kinds.map((k) => `${synced[k] ?? 0} ${SEED_WORDS[k]} synchronized`).join(' '));
  }

  // --- 2. export --------------------------------------------------------------------------------
  if (plan.factuur) {
    let skipped = 0;
    let created = 0;
    let marked = 0;
    let unmarked = 0;
    try {
      const collected = await wa.werkbonCollect(ref);
      skipped += collected.skipped;
      if (collected.ids.length && plan.exporteerRelaties) {
        const rel = await eb.werkbonExportRelaties(ref);
        if (rel.created) counts.relatiesAangemaakt = rel.created;
        if (rel.updated) counts.relatiesBijgewerkt = rel.updated;
      }
      const runPass = async (ids: string[], finalPass: boolean): Promise<string[]> => {
        const retry: string[] = [];
        await inLanes(chunk(ids, INVOICE_BATCH_SIZE), INVOICE_LANES, async (batch) => {
          if (fatal) return;
          let invoiced: string[] = [];
          try {
            const r = await eb.werkbonExportInvoices({ ...ref, ids: batch, finalPass });
            created += r.created;
            skipped += r.failed;
            retry.push(...r.retry);
            invoiced = r.invoiced;
            if (r.fatal) fatal ??= r.fatal;
          } catch (err) {
            rethrowIfAuth(err);
            // The whole batch failed after Temporal's retries: its werkbonnen wait for the next cycle.
            errors.push(errorOf(err, 'Facturen aanmaken mislukt'));
            skipped += batch.length;
          }
          if (!invoiced.length) return;
          try {
            const m = await wa.werkbonMarkAfgehandeld({ ...ref, ids: invoiced });
            marked += m.marked;
            unmarked += m.failed;
          } catch (err) {
            rethrowIfAuth(err);
            // Invoiced but still Compleet: the next cycle finds the invoice in the ledger and marks it.
            errors.push(errorOf(err, 'Werkbonnen afhandelen mislukt'));
            unmarked += invoiced.length;
          }
        });
        return retry;
      };
      const retry = await runPass(collected.ids, false);
      if (retry.length && !fatal) {
        await sleep('10 seconds'); // a short hiccup (timeout, 503) usually passes
        const left = await runPass(retry, true);
        skipped += left.length;
      }
    } catch (err) {
      rethrowIfAuth(err);
      errors.push(errorOf(err, 'Werkbonnen ophalen mislukt'));
    }
    counts.facturen = created;
    counts.afgehandeld = marked;
    if (skipped) counts.overgeslagen = skipped;
    if (unmarked) counts.nietAfgehandeld = unmarked;
    const inv = [`${created} ${created === 1 ? 'factuur' : 'facturen'} aangemaakt`];
    if (skipped) inv.push(`${skipped} ${skipped === 1 ? 'werkbon' : 'werkbonnen'} overgeslagen`);
    if (unmarked) inv.push(`${unmarked} niet op Afgehandeld gezet`);
    parts.push(inv.join(', '));
  }

  if (fatal) {
    return { result: 'failed', counts, summary: [...parts, `${fatal.oorzaak} ${fatal.oplossing}`].join(' · '), error: fatal };
  }
  const problems = (counts.overgeslagen ?? 0) + (counts.nietAfgehandeld ?? 0) + errors.length;
  const summary = parts.length ? parts.join(' · ') : 'Import en export staan uit: niets te doen.';
  return { result: problems ? 'partial' : 'ok', counts, summary, ...(errors.length ? { error: errors[0] } : {}) };
}

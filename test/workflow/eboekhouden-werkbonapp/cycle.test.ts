/**
 * The e-Boekhouden ↔ WerkbonApp cycle inside the koppeling workflow, on the time-skipping test
 * server: a simulated day passes in seconds. The activities are plain functions over a small fake
 * "world" (released werkbonnen, invoices, Afgehandeld); the real ones run in the integration suite.
 */
import type {
  CatalogPushResult,
  CatalogReadResult,
  CollectResult,
  InvoiceBatchInput,
  InvoiceBatchResult,
  MarkInput,
  MarkResult,
  RelatiesResult,
  WerkbonAppActivities,
  WerkbonCycleRef,
  WerkbonPlan,
} from '../../../activities/eboekhouden-werkbonapp';
import { nextDueAt, type RecordStatusInput } from '../../../activities/runtime';
import { nextDue, spreadOffsetMs } from '../../../src/domain/cadence';
import { KoppelError } from '../../../src/domain/errors';
import { TASK_QUEUES } from '../../../src/temporal/task-queues';
import { INVOICE_BATCH_SIZE } from '../../../workflows/eboekhouden-werkbonapp';
import { koppelingWorkflow, type KoppelingWorkflowInput } from '../../../workflows/koppeling';
import { reauthorizedSignal, statusQuery, stopUpdate, syncNowUpdate, type KoppelingStatusView } from '../../../workflows/messages';
import { useTimeSkipping } from '../../support/time-skipping';

jest.setTimeout(240_000);

const QUARTER = 15 * 60_000;

const ts = useTimeSkipping(require.resolve('../../../workflows'));

/** A fake WerkbonApp + e-Boekhouden: what the activities would see and do. */
class World {
  released: string[] = [];
  invoices = new Map<string, number>(); // werkbon → invoices written
  afgehandeld = new Set<string>();
  /** Werkbonnen whose data is wrong until fixed (a business error each time). */
  broken = new Set<string>();
  /** Werkbonnen that meet one hiccup (timeout) on their first attempt. */
  hiccup = new Set<string>();
  catalogChanges = 0;
  /** Hour types WerkbonApp lost (deleted there): the next push notices it once. */
  lostHourTypes = 0;
  templateMissing = false;
  tokenRevoked = false;
  readonly calls: Record<string, number> = {};
  readonly statuses: RecordStatusInput[] = [];

  private count(name: string) {
    this.calls[name] = (this.calls[name] ?? 0) + 1;
  }

  private authCheck() {
    if (this.tokenRevoked) {
      throw new KoppelError({ type: 'ReauthRequired', system: 'werkbonapp', code: '1004', message: 'unauthorized', oorzaak: 'WerkbonApp weigert het API-token van de koppeling.', oplossing: 'Vul het token opnieuw in.' });
    }
  }

  activities(): WerkbonAppActivities & { nextDueAt: typeof nextDueAt; recordStatus(i: RecordStatusInput): Promise<void> } {
    const pending = () => this.released.filter((id) => !this.afgehandeld.has(id));
    return {
      nextDueAt,
      recordStatus: async (i) => void this.statuses.push(i),
      werkbonPlan: async (_r: WerkbonCycleRef): Promise<WerkbonPlan> => {
        this.count('plan');
        return { import: { relaties: true, materialen: true, uursoorten: true }, factuur: true, exporteerRelaties: true };
      },
      werkbonReadCatalog: async (): Promise<CatalogReadResult> => {
        this.count('readCatalog');
        return { staged: { relaties: 0, materialen: this.catalogChanges, uursoorten: 0 }, skipped: 0 };
      },
      werkbonPushCatalog: async (): Promise<CatalogPushResult> => {
        this.count('pushCatalog');
        this.authCheck();
        const n = this.catalogChanges;
        this.catalogChanges = 0;
        if (n > 0) this.count('upserts');
        const lost = this.lostHourTypes;
        this.lostHourTypes = 0;
        // What the push forgot, the next read stages again.
        if (lost > 0) this.catalogChanges = lost;
        return { synced: { relaties: 0, materialen: n, uursoorten: 0 }, errors: [], lost: { uursoorten: lost } };
      },
      werkbonCollect: async (): Promise<CollectResult> => {
        this.count('collect');
        this.authCheck();
        return { ids: pending(), skipped: 0 };
      },
      werkbonExportRelaties: async (): Promise<RelatiesResult> => {
        this.count('relaties');
        return { created: 0, updated: 0, blocked: 0 };
      },
      werkbonExportInvoices: async (i: InvoiceBatchInput): Promise<InvoiceBatchResult> => {
        this.count('invoices');
        const out: InvoiceBatchResult = { invoiced: [], created: 0, failed: 0, retry: [] };
        if (this.templateMissing) {
          out.fatal = { type: 'InvalidData', system: 'eboekhouden', oorzaak: "Het factuursjabloon 'Werkbon' bestaat niet in e-Boekhouden.nl.", oplossing: 'Maak het sjabloon aan via Beheer > Sjablonen > Factuursjablonen.' };
          return out;
        }
        for (const id of i.ids) {
          if (this.broken.has(id)) {
            out.failed++;
            continue;
          }
          if (this.hiccup.has(id) && !i.finalPass) {
            this.hiccup.delete(id);
            out.retry.push(id);
            continue;
          }
          // Like the ledger: a werkbon invoiced before (but not yet marked) is not invoiced again.
          if (!this.invoices.has(id)) {
            out.created++;
            this.invoices.set(id, 1);
          }
          out.invoiced.push(id);
        }
        return out;
      },
      werkbonMarkAfgehandeld: async (i: MarkInput): Promise<MarkResult> => {
        this.count('mark');
        for (const id of i.ids) this.afgehandeld.add(id);
        return { marked: i.ids.length, failed: 0 };
      },
      // These tests are about the cycle: the probe always sees a change, so every tick runs one
      // (idle ticks: test/workflow/koppeling.test.ts, test/integration/*/idle.test.ts).
      werkbonProbe: async () => {
        this.count('probe');
        return { fingerprint: `changed-${this.calls.probe}` };
      },
    };
  }
}

function withWorkers<T>(world: World, fn: () => Promise<T>): Promise<T> {
  return ts.withWorkers(world.activities(), fn, ['eboekhouden', 'werkbonapp']);
}

let seq = 0;
async function start(extra: Partial<KoppelingWorkflowInput> = {}) {
  seq++;
  const workflowId = ts.track(`koppeling/t1/wb${seq}-${Date.now()}`);
  await ts.env.client.workflow.start(koppelingWorkflow, {
    workflowId,
    taskQueue: TASK_QUEUES.workflows,
    args: [{ tenantId: 't1', koppelingId: `wb${seq}`, type: 'eboekhouden-werkbonapp', cadence: { kind: 'interval', everyMinutes: 15 }, ...extra }],
  });
  return ts.env.client.workflow.getHandle(workflowId);
}

type Handle = Awaited<ReturnType<typeof start>>;

async function settle(h: Handle, until: (s: KoppelingStatusView) => boolean): Promise<KoppelingStatusView> {
  for (let i = 0; i < 300; i++) {
    const s = await h.query(statusQuery);
    if (until(s)) return s;
    await ts.env.sleep('1s');
  }
  throw new Error(`condition not reached; last status ${JSON.stringify(await h.query(statusQuery))}`);
}

const cycleDone = (n: number) => (v: KoppelingStatusView) => v.lastCycle?.cycleNo === n && v.state !== 'RUNNING';

/** Stop and wait for the end: a workflow left with pending tasks would freeze time skipping. */
async function stop(h: Handle) {
  await h.executeUpdate(stopUpdate, { args: [] });
  await h.result();
}

/** Every cycle's outcome, from the log lines the workflow mirrored. */
function cycles(world: World) {
  return world.statuses
    .filter((s) => s.logEntry?.code?.startsWith('CYCLE_'))
    .map((s) => ({ code: s.logEntry!.code, trigger: (s.logEntry!.details as { trigger: string }).trigger, counts: s.logEntry!.counts ?? {}, message: s.logEntry!.message }));
}

test('every 15 minutes for a simulated day (96 cycles), syncNow between ticks; every werkbon invoiced once', async () => {
  const world = new World();
  world.released.push('1001', '1002', '1003');
  await withWorkers(world, async () => {
    const h = await start({ maxHistoryEvents: 400 }); // continue-as-new a few times during the day
    const firstRun = (await h.describe()).runId;
    let s = await settle(h, cycleDone(1));
    expect(s.lastCycle).toMatchObject({ result: 'ok', counts: { facturen: 3, afgehandeld: 3 } });
    const t0 = Date.parse(s.lastCycle!.at);
    const lastTick = nextDue({ kind: 'interval', everyMinutes: 15 }, new Date(t0)).getTime() + 95 * QUARTER;

    let syncs = 0;
    for (let hour = 1; hour <= 23; hour++) {
      // Werkbonnen come in during the day; some hours also a product change in e-Boekhouden.
      world.released.push(`${2000 + hour}`);
      if (hour % 6 === 0) world.catalogChanges = 1;
      if (hour === 13) world.lostHourTypes = 2; // someone deletes two hour types in WerkbonApp
      if (hour % 4 === 2) {
        // "Start synchronisatie" between two ticks: the new werkbon is invoiced now, not at the tick.
        const before = (await h.query(statusQuery)).cycleNo;
        const asked = await ts.env.currentTimeMs();
        await h.executeUpdate(syncNowUpdate, { args: [{ reason: 'werkbon klaar' }] });
        s = await settle(h, cycleDone(before + 1));
        syncs++;
        expect(cycles(world).at(-1)!.trigger).toBe('syncNow');
        expect(world.invoices.get(`${2000 + hour}`)).toBe(1);
        expect(Date.parse(s.lastCycle!.at)).toBeLessThan(nextDue({ kind: 'interval', everyMinutes: 15 }, new Date(asked)).getTime()); // before the next tick
        // The cadence itself is unchanged: quarter hours, moved by the koppeling's fixed spread offset.
        expect((Date.parse(s.nextDueAt!) - spreadOffsetMs({ kind: 'interval', everyMinutes: 15 }, s.koppelingId)) % QUARTER).toBe(0);
      }
      await ts.env.sleep('1 hour');
    }
    // Up to just past the 96th quarter-hour tick after the first cycle.
    const left = lastTick + 60_000 - (await ts.env.currentTimeMs());
    if (left > 0) await ts.env.sleep(left);
    s = await settle(h, () => cycles(world).filter((c) => c.trigger === 'schedule').length === 96);

    const all = cycles(world);
    expect(all.filter((c) => c.trigger === 'schedule')).toHaveLength(96);
    expect(all.filter((c) => c.trigger === 'syncNow')).toHaveLength(syncs);
    expect(all[0].trigger).toBe('start');
    expect(all.every((c) => c.code === 'CYCLE_OK')).toBe(true);
    expect(s.cycleNo).toBe(1 + 96 + syncs);
    // Nothing twice: one invoice per werkbon, all Afgehandeld.
    expect([...world.invoices.values()].every((n) => n === 1)).toBe(true);
    expect(world.invoices.size).toBe(world.released.length);
    expect(world.afgehandeld.size).toBe(world.released.length);
    // Quiet cycles only read: WerkbonApp and e-Boekhouden are written only when there is work. The
    // push runs every cycle (it checks for records WerkbonApp lost); the cycle that found the two
    // lost hour types read and pushed once more, and so put them back at once.
    expect(world.calls.upserts).toBe(3 + 1);
    expect(world.calls.pushCatalog).toBe(s.cycleNo + 1);
    expect(world.calls.readCatalog).toBe(s.cycleNo + 1);
    expect(all.filter((c) => c.counts.hersteld === 2)).toHaveLength(1);
    expect(world.calls.invoices).toBe(world.released.length - 2); // the first cycle took three at once
    expect((await h.describe()).runId).not.toBe(firstRun); // state survived continue-as-new
    await stop(h);
  });
});

test('many werkbonnen go in batches; a broken werkbon waits (partial) and a hiccup is retried within the cycle', async () => {
  const world = new World();
  const ids = Array.from({ length: INVOICE_BATCH_SIZE * 3 + 7 }, (_, i) => String(3000 + i));
  world.released.push(...ids);
  world.broken.add('3010');
  world.hiccup.add('3020');
  world.hiccup.add('3050');
  await withWorkers(world, async () => {
    const h = await start();
    let s = await settle(h, cycleDone(1));
    expect(s.lastCycle).toMatchObject({ result: 'partial', counts: { facturen: ids.length - 1, afgehandeld: ids.length - 1, overgeslagen: 1 } });
    expect(s.lastCycle!.summary).toContain(`${ids.length - 1} facturen aangemaakt, 1 werkbon overgeslagen`);
    expect(world.calls.invoices).toBe(4 + 1); // four batches, then one retry pass for the two hiccups
    expect(world.afgehandeld.has('3010')).toBe(false);
    // Fixed in WerkbonApp: the next tick invoices it.
    world.broken.delete('3010');
    await ts.env.sleep('15 minutes');
    s = await settle(h, cycleDone(2));
    expect(s.lastCycle).toMatchObject({ result: 'ok', counts: { facturen: 1, afgehandeld: 1 } });
    expect([...world.invoices.values()].every((n) => n === 1)).toBe(true);
    await stop(h);
  });
});

test('a missing template fails the cycle (retried sooner); a revoked token waits for reauthorized', async () => {
  const world = new World();
  world.released.push('4001');
  world.templateMissing = true;
  await withWorkers(world, async () => {
    const h = await start();
    let s = await settle(h, cycleDone(1));
    expect(s.lastCycle).toMatchObject({ result: 'failed', error: { oorzaak: "Het factuursjabloon 'Werkbon' bestaat niet in e-Boekhouden.nl." } });
    expect(world.afgehandeld.size).toBe(0);
    world.templateMissing = false;
    await ts.env.sleep('5 minutes');
    s = await settle(h, cycleDone(2));
    expect(s.lastCycle?.result).toBe('ok');
    expect(world.invoices.get('4001')).toBe(1);

    world.tokenRevoked = true;
    world.catalogChanges = 1;
    await ts.env.sleep('15 minutes');
    s = await settle(h, (v) => v.state === 'WAITING_REAUTH');
    expect(s.blockingReason).toContain('Vul het token opnieuw in.');
    const cyclesBefore = s.cycleNo;
    await ts.env.sleep('3 hours');
    expect((await h.query(statusQuery)).cycleNo).toBe(cyclesBefore); // waits, does not spin
    world.tokenRevoked = false;
    world.released.push('4002');
    await h.signal(reauthorizedSignal, { credentialsVersion: 2 });
    s = await settle(h, cycleDone(cyclesBefore + 1));
    expect(s.lastCycle).toMatchObject({ result: 'ok', counts: { materialen: 1, facturen: 1 } });
    expect(cycles(world).at(-1)!.trigger).toBe('reauthorized');
    await stop(h);
  });
});

/**
 * The eAccounting ↔ Visma.net cycle inside the koppeling workflow, on the time-skipping test
 * server: an hour of 5-minute ticks passes in seconds. The activities are plain functions over a
 * small fake "world" (articles, orders, what Visma.net has); the real ones run in the integration suite.
 */
import type { EaccountingVismanetActivities, EvCycleRef, EvFlow, EvPlan, EvPushInput, EvPushResult, EvScanResult } from '../../../activities/eaccounting-vismanet';
import { nextDueAt, type RecordStatusInput } from '../../../activities/runtime';
import { KoppelError } from '../../../src/domain/errors';
import { TASK_QUEUES } from '../../../src/temporal/task-queues';
import { PUSH_BATCH_SIZE } from '../../../workflows/eaccounting-vismanet';
import { koppelingWorkflow, type KoppelingWorkflowInput } from '../../../workflows/koppeling';
import { reauthorizedSignal, statusQuery, stopUpdate, type KoppelingStatusView } from '../../../workflows/messages';
import { useTimeSkipping } from '../../support/time-skipping';

jest.setTimeout(240_000);

const ts = useTimeSkipping(require.resolve('../../../workflows'));

class World {
  articles = new Set<string>();
  /** order id → its SKUs */
  orders = new Map<string, string[]>();
  inventory = new Set<string>();
  salesOrders = new Map<string, number>();
  flows: EvPlan = { products: true, customers: false, orders: true };
  tokenRevoked = false;
  readonly trail: string[] = [];
  readonly pushSizes: number[] = [];
  probes = 0;
  readonly statuses: RecordStatusInput[] = [];

  private revoked() {
    return new KoppelError({ type: 'ReauthRequired', system: 'eaccounting', code: '4005', message: 'unauthorized', oorzaak: 'Visma eAccounting weigerde het toegangstoken.', oplossing: 'Autoriseer opnieuw.' });
  }

  activities(): EaccountingVismanetActivities & { nextDueAt: typeof nextDueAt; recordStatus(i: RecordStatusInput): Promise<void> } {
    return {
      // Like the real probe: the eAccounting lists, so an unchanged source makes a tick idle.
      evProbe: async () => {
        this.probes++;
        if (this.tokenRevoked) throw this.revoked();
        return { fingerprint: `${[...this.articles].join(',')}|${[...this.orders.keys()].join(',')}` };
      },
      nextDueAt,
      recordStatus: async (i) => void this.statuses.push(i),
      evPlan: async (_r: EvCycleRef) => ({ ...this.flows }),
      evScan: async (i: EvCycleRef & { flow: EvFlow }): Promise<EvScanResult> => {
        this.trail.push(`scan:${i.flow}`);
        if (this.tokenRevoked) throw this.revoked();
        const keys = i.flow === 'products' ? [...this.articles].filter((a) => !this.inventory.has(a)) : [...this.orders.keys()].filter((o) => !this.salesOrders.has(o));
        return { seen: keys.length, keys, deferred: 0 };
      },
      evPush: async (i: EvPushInput): Promise<EvPushResult> => {
        this.trail.push(`push:${i.flow}`);
        this.pushSizes.push(i.keys.length);
        const out: EvPushResult = { created: 0, updated: 0, skipped: 0, waiting: 0, failed: 0, errors: [] };
        for (const k of i.keys) {
          if (i.flow === 'products') {
            this.inventory.add(k);
            out.created++;
          } else if ((this.orders.get(k) ?? []).every((sku) => this.inventory.has(sku))) {
            this.salesOrders.set(k, (this.salesOrders.get(k) ?? 0) + 1);
            out.created++;
          } else out.waiting++;
        }
        return out;
      },
    };
  }
}

function withWorkers<T>(world: World, fn: () => Promise<T>): Promise<T> {
  return ts.withWorkers(world.activities(), fn, ['eaccounting', 'vismanet'] as Array<keyof typeof TASK_QUEUES>);
}

let seq = 0;
async function start(extra: Partial<KoppelingWorkflowInput> = {}) {
  seq++;
  const workflowId = ts.track(`koppeling/t1/ev${seq}-${Date.now()}`);
  await ts.env.client.workflow.start(koppelingWorkflow, {
    workflowId,
    taskQueue: TASK_QUEUES.workflows,
    args: [{ tenantId: 't1', koppelingId: `ev${seq}`, type: 'eaccounting-vismanet', cadence: { kind: 'interval', everyMinutes: 5 }, ...extra }],
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

async function stop(h: Handle) {
  await h.executeUpdate(stopUpdate, { args: [] });
  await h.result();
}

test('every 5 minutes, products before orders; an order with a missing product waits and goes through once it exists; each order once', async () => {
  const world = new World();
  world.articles.add('SKU-1');
  world.orders.set('o1', ['SKU-1']);
  world.orders.set('o2', ['SKU-2']); // SKU-2 is not in eAccounting yet
  await withWorkers(world, async () => {
    const h = await start();
    let s = await settle(h, cycleDone(1));
    expect(s.lastCycle).toMatchObject({ result: 'partial', counts: { productsAangemaakt: 1, ordersAangemaakt: 1, ordersWachtend: 1 } });
    expect(s.lastCycle!.summary).toContain('1 wacht op producten');
    expect(world.trail.slice(0, 4)).toEqual(['scan:products', 'push:products', 'scan:orders', 'push:orders']);
    // The product appears; the next tick, 5 minutes later, creates it first and then the order.
    world.articles.add('SKU-2');
    await ts.env.sleep('5 minutes');
    s = await settle(h, cycleDone(2));
    expect(s.lastCycle).toMatchObject({ result: 'ok', counts: { productsAangemaakt: 1, ordersAangemaakt: 1 } });
    // An hour of quiet ticks: the probe sees the same eAccounting lists, so no cycle runs and nothing is pushed again.
    const probesBefore = world.probes;
    await ts.env.sleep('1 hour');
    s = await settle(h, (v) => world.probes >= probesBefore + 12 && v.state !== 'RUNNING');
    expect(s.cycleNo).toBe(2);
    expect([...world.salesOrders.values()]).toEqual([1, 1]);
    // A new order in eAccounting: the next tick sees it and runs a cycle.
    world.orders.set('o3', ['SKU-1']);
    await ts.env.sleep('5 minutes');
    s = await settle(h, cycleDone(3));
    expect(s.lastCycle).toMatchObject({ result: 'ok', counts: { ordersAangemaakt: 1 } });
    expect([...world.salesOrders.values()]).toEqual([1, 1, 1]);
    await stop(h);
  });
});

test('many orders go in bounded batches; an auth problem parks the koppeling until reauthorized', async () => {
  const world = new World();
  world.flows = { products: false, customers: false, orders: true };
  for (let i = 0; i < PUSH_BATCH_SIZE * 4 + 3; i++) world.orders.set(`o${i}`, []);
  await withWorkers(world, async () => {
    const h = await start();
    const s = await settle(h, cycleDone(1));
    expect(s.lastCycle).toMatchObject({ result: 'ok', counts: { ordersAangemaakt: PUSH_BATCH_SIZE * 4 + 3 } });
    expect(world.pushSizes.every((n) => n <= PUSH_BATCH_SIZE)).toBe(true);
    expect(world.pushSizes).toHaveLength(5);
    world.tokenRevoked = true;
    await ts.env.sleep('5 minutes');
    await settle(h, (v) => v.state === 'WAITING_REAUTH');
    world.tokenRevoked = false;
    world.orders.set('late', []);
    await h.signal(reauthorizedSignal, { credentialsVersion: 2 });
    await settle(h, (v) => v.state === 'ACTIVE' && v.lastCycle?.result === 'ok' && world.salesOrders.has('late'));
    expect([...world.salesOrders.values()].every((n) => n === 1)).toBe(true);
    await stop(h);
  });
});

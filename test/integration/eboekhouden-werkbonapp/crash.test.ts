/**
 * Crash test: the production worker (`node dist/src/worker.js`, needs `npm run build`) is killed
 * with SIGKILL at random moments while werkbonnen are being exported, and started again, over and
 * over. Simulated latency keeps every call in flight long enough to be cut off. Afterwards every
 * released werkbon has exactly one invoice in e-Boekhouden and is Afgehandeld in WerkbonApp.
 *
 * Random but repeatable: the delays come from a seeded generator (KW_CRASH_SEED to replay a run).
 */
import { DEMO_FACTUURSJABLOON, DEMO_SECURITY_CODE_1, DEMO_SECURITY_CODE_2, DEMO_USERNAME } from '../../../src/systems/eboekhouden/simulator/demo';
import { DEMO_TOKEN } from '../../../src/systems/werkbonapp/simulator/demo';
import { koppelingWorkflowId } from '../../../workflows/koppeling';
import { syncNowSignal } from '../../../workflows/messages';
import { Harness, waitFor } from '../harness';
import { seededRandom } from '../../../src/domain/random';

jest.setTimeout(300_000);

const KILLS = 20;
const PER_ROUND = 3;
const h = new Harness();

beforeAll(async () => {
  await h.start({ simulators: ['eboekhouden', 'werkbonapp'], worker: 'child' });
  await h.tenant('acme');
});
afterAll(() => h.stop());

const eb = (method: string, path: string, body?: unknown) => h.control('eboekhouden', method, path, body);
const wba = (method: string, path: string, body?: unknown) => h.control('werkbonapp', method, path, body);

/** Released werkbonnen; every fourth for a new debtor, so relaties are created under fire too. */
function werkbonnen(round: number) {
  return Array.from({ length: PER_ROUND }, (_, i) => {
    const n = round * PER_ROUND + i;
    const fresh = n % 4 === 3;
    return {
      WorkorderNo: `WB-CRASH-${String(n).padStart(4, '0')}`,
      CustomerDebtorNrInvoice: fresh ? `NEW${String(n).padStart(4, '0')}` : ['REL001', 'REL002', 'REL003'][n % 3],
      ...(fresh ? { CustomerNameInvoice: `Nieuwe klant ${n}`, CustomerStreetInvoice: 'Marktstraat', CustomerStreetNoInvoice: String(n), CustomerZIPInvoice: '3511 AA', CustomerCityInvoice: 'Utrecht' } : {}),
      status: 'Compleet',
      WorkStatus: '1',
      Workperiods: [{ WorkDate: '12-03-2025', BeginTime: '08:00', EndTime: `${String(9 + (n % 5)).padStart(2, '0')}:30`, HourType: ['ARB', 'ARBM', 'SPOED'][n % 3], EmployeeNr: '11' }],
      Materials: [{ MaterialCode: 'MAT-WCD', MaterialNr: 1 + (n % 4), MaterialPrice: 8.95, MaterialName: 'Wandcontactdoos dubbel met randaarde', MaterialUnit: 'Stuk' }],
    };
  });
}

test(`every werkbon gives exactly one invoice and ends Afgehandeld, through ${KILLS} SIGKILLs of the worker`, async () => {
  const seed = Number(process.env.KW_CRASH_SEED ?? Date.now() % 100_000);
  const random = seededRandom(seed);
  // Every call waits a while, so kills land in the middle of requests, ledger writes and batches.
  await eb('POST', '/faults', { latencyMs: 120 });
  await wba('POST', '/faults', { latencyMs: 60 });

  const res = await h.call('POST', '/koppelingen', {
    body: {
      tenantId: 'acme',
      type: 'eboekhouden-werkbonapp',
      name: 'Crash',
      settings: { export: { factuursjabloon: DEMO_FACTUURSJABLOON } },
      credentials: {
        eboekhouden: { username: DEMO_USERNAME, securityCode1: DEMO_SECURITY_CODE_1, securityCode2: DEMO_SECURITY_CODE_2 },
        werkbonapp: { token: DEMO_TOKEN },
      },
    },
  });
  expect(res.status).toBe(201);
  const id = res.body.id as string;
  const handle = h.client.workflow.getHandle(koppelingWorkflowId('acme', id));

  // Writes in flight: invoices and relaties in e-Boekhouden, "mark Afgehandeld" fetches in WerkbonApp.
  const writes = async () => {
    const [e, w] = await Promise.all([eb('GET', '/stats'), wba('GET', '/stats')]);
    return (e.calls.AddFactuur ?? 0) + (e.calls.AddRelatie ?? 0) + (w.calls['GET GetWorkorder'] ?? 0);
  };
  const delays: number[] = [];
  let targeted = 0;
  for (let round = 0; round < KILLS; round++) {
    await wba('POST', '/workorders', werkbonnen(round));
    await handle.signal(syncNowSignal, { reason: `crash round ${round}` });
    // Wait (a bounded while) until writes are happening, then kill after a short random delay; a
    // round that sees none kills blind, wherever the cycle is (waiting, reading, the ledger, ...).
    const before = await writes();
    const until = Date.now() + 4_000;
    let busy = false;
    while (!busy && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 100));
      busy = (await writes()) > before;
    }
    if (busy) targeted++;
    const delay = Math.round(random() * (busy ? 700 : 1_500));
    delays.push(delay);
    await new Promise((r) => setTimeout(r, delay));
    await h.killWorker('SIGKILL');
    await h.spawnWorker();
  }

  // Calm weather: no latency, and sync until every released werkbon is done.
  await eb('POST', '/faults', {});
  await wba('POST', '/faults', {});
  const expected = (await wba('GET', '/workorders')).filter((w: { WorkStatus: string; status: string }) => w.WorkStatus === '1');
  let lastSignal = 0;
  await waitFor(async () => {
    const all: Array<{ id: string; status: string; WorkStatus: string }> = await wba('GET', '/workorders');
    const open = all.filter((w) => w.WorkStatus === '1' && w.status !== 'Afgehandeld');
    if (open.length && Date.now() - lastSignal > 5_000) {
      lastSignal = Date.now();
      await handle.signal(syncNowSignal, { reason: 'drain' });
    }
    return open.length === 0;
  }, 150_000, `all released werkbonnen Afgehandeld (seed ${seed})`);

  const facturen: Array<{ Factuurnummer: string; Relatiecode: string }> = await eb('GET', '/facturen');
  const numbers = facturen.map((f) => f.Factuurnummer).sort();
  // Exactly one invoice per released werkbon, with the werkbon's number and debtor, and no other.
  expect(new Set(numbers).size).toBe(numbers.length);
  expect(numbers).toEqual(expected.map((w: { WorkorderNo: string }) => w.WorkorderNo).sort());
  for (const w of expected as Array<{ WorkorderNo: string; CustomerDebtorNrInvoice: string }>) {
    expect(facturen.find((f) => f.Factuurnummer === w.WorkorderNo)?.Relatiecode).toBe(w.CustomerDebtorNrInvoice);
  }
  // Booked once each: one FactuurVerstuurd mutation and one open post per invoice.
  const mutaties: Array<{ Factuurnummer: string }> = await eb('GET', '/mutaties');
  expect(mutaties.map((m) => m.Factuurnummer).sort()).toEqual(numbers);
  // Every new debtor exists once.
  const relaties: Array<{ Code: string }> = await eb('GET', '/relaties');
  const codes = relaties.map((r) => r.Code);
  expect(new Set(codes).size).toBe(codes.length);
  for (const w of expected as Array<{ CustomerDebtorNrInvoice: string }>) expect(codes).toContain(w.CustomerDebtorNrInvoice);

  // The ledger agrees: one posted entry per werkbon.
  const ledger = await h.deps.ledger.list({ koppelingId: id, entity: 'factuur' });
  expect(ledger.filter((e) => e.status === 'posted').map((e) => e.targetId).sort()).toEqual(numbers);

  // How many kills cut an activity off mid-flight (its heartbeats stopped) — for the report only.
  let interrupted = 0;
  const byType: Record<string, number> = {};
  for await (const child of h.client.workflow.list({ query: `WorkflowId STARTS_WITH "${handle.workflowId}/cycle-"` })) {
    const history = await h.client.workflow.getHandle(child.workflowId, child.runId).fetchHistory();
    const scheduled = new Map<string, string>();
    for (const e of history.events ?? []) {
      const sch = e.activityTaskScheduledEventAttributes;
      if (sch) scheduled.set(String(e.eventId), sch.activityType?.name ?? '?');
      const retried = e.activityTaskStartedEventAttributes?.lastFailure?.timeoutFailureInfo ? e.activityTaskStartedEventAttributes : undefined;
      if (retried) {
        const name = scheduled.get(String(retried.scheduledEventId)) ?? '?';
        const n = Math.max(0, (retried.attempt ?? 1) - 1);
        interrupted += n;
        byType[name] = (byType[name] ?? 0) + n;
      }
    }
  }
  const recovered = ledger.filter((e) => e.attempts > 1).length;
  const ebStats = (await eb('GET', '/stats')).calls as Record<string, number>;
  console.log(
    `crash test (seed ${seed}): ${KILLS} kills (${targeted} while writes were in flight), delays ${delays.join(', ')} ms; ${expected.length} werkbonnen, ` +
      `${numbers.length} invoices; AddFactuur called ${ebStats.AddFactuur} times, ${recovered} invoice(s) needed more than one attempt; ` +
      `activity attempts cut off by a kill: ${interrupted} ${JSON.stringify(byType)}`,
  );
});

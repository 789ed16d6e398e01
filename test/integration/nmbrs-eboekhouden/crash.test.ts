/**
 * Crash test: the production worker (`node dist/src/worker.js`, from `npm run build`) is killed with
 * SIGKILL at random moments while cycles book, correct and add runs, and restarted each time. The
 * simulators answer slowly, so kills land inside calls too, including after e-Boekhouden accepted
 * an AddMutatie but before the ledger heard of it. Afterwards e-Boekhouden must hold every
 * memoriaal exactly once, every run must net to its current journal, and the ledger must agree.
 *
 * The kill moments come from a seeded generator (CRASH_SEED=<n> repeats a run); assertions never
 * depend on timing, only on the end state.
 */
import { Harness, waitFor } from '../harness';
import { seededRandom } from '../../../src/domain/random';

jest.setTimeout(300_000);

const KILLS = 22;
const h = new Harness();
let key: string;

beforeAll(async () => {
  await h.start({ simulators: ['nmbrs', 'eboekhouden'], worker: 'child' });
  key = await h.tenant('crash');
});
afterAll(() => h.stop());

const control = <T = any>(sim: 'nmbrs' | 'eboekhouden', method: string, path: string, body?: unknown) => h.control<T>(sim, method, path, body);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const cents = (euros: number) => Math.round(euros * 100);

async function live(id: string) {
  return (await h.call('GET', `/koppelingen/${id}`, { key })).body;
}

test(`the worker is killed ${KILLS} times during cycles; e-Boekhouden holds every memoriaal exactly once and the ledger agrees`, async () => {
  const seed = Number(process.env.CRASH_SEED ?? Date.now() % 100_000);
  const random = seededRandom(seed);
  // eslint-disable-next-line no-console
  console.log(`crash test seed ${seed} (repeat with CRASH_SEED=${seed})`);
  // Slow answers: a first sync takes seconds, and a kill often lands while a call is in flight.
  await control('nmbrs', 'POST', '/faults', { latencyMs: 40 });
  await control('eboekhouden', 'POST', '/faults', { latencyMs: 150 });

  const created = await h.call('POST', '/koppelingen', {
    key,
    body: {
      type: 'nmbrs-eboekhouden',
      name: 'Crash',
      settings: { nmbrsCompanyId: 1001, syncFromYear: 2026, syncFromPeriod: 1 },
      mapping: { '4105': '4000' },
      credentials: {
        nmbrs: { username: 'demo@koppelwerk.nl', token: 'demo-nmbrs-token', domain: 'demo' },
        eboekhouden: { username: 'demo', securityCode1: 'de5c1000000000000000000000000000', securityCode2: 'de5c2000-0000-0000-0000-000000000000' },
      },
    },
  });
  expect(created.status).toBe(201);
  const id = created.body.id as string;
  const runIds = [41001, 41002, 41003, 41004, 41005, 41006, 41007, 41008, 41009, 41010];

  let kills = 0;
  let spawnMs = 0;
  const started = Date.now();
  for (let i = 0; i < KILLS; i++) {
    // New work for the next cycles: corrections, and now and then a new locked run (one with two periods).
    if (i > 0 && i % 3 === 0) {
      for (let n = 0; n < 2; n++) await control('nmbrs', 'POST', `/runs/${runIds[Math.floor(random() * runIds.length)]}/recalculate`, {});
    }
    if (i === 5 || i === 13) {
      const run = await control<{ id: number }>('nmbrs', 'POST', '/companies/1001/runs', { year: 2026, periodStart: 10, periodEnd: i === 5 ? 11 : 10, isLocked: true, grossSalary: 15_000 + i });
      runIds.push(run.id);
    }
    // Not awaited: after a kill the workflow's next task waits out the dead worker's sticky queue.
    if (i > 0) void h.call('POST', `/koppelingen/${id}/sync`, { body: { reason: `crash ${i}` }, key }).catch(() => undefined);
    await sleep(300 + Math.floor(random() * 3_700));
    await h.killWorker('SIGKILL');
    kills++;
    const t = Date.now();
    await h.spawnWorker();
    spawnMs += Date.now() - t;
  }
  // eslint-disable-next-line no-console
  console.log(`${kills} kills in ${((Date.now() - started) / 1000).toFixed(0)} s (worker start ${(spawnMs / kills / 1000).toFixed(1)} s on average)`);
  await control('nmbrs', 'POST', '/faults', {});
  await control('eboekhouden', 'POST', '/faults', {});

  // Converged: a cycle that finds nothing left to book or correct.
  await waitFor(
    async () => {
      const k = await live(id);
      const last = k.live?.lastCycle;
      if (!last || k.live.state === 'RUNNING') return undefined;
      if (last.result === 'ok' && !last.counts.geboekt && !last.counts.gecorrigeerd && !last.counts.mislukt) return k;
      await h.call('POST', `/koppelingen/${id}/sync`, { body: { reason: 'converge' }, key }).catch(() => undefined);
      await sleep(2_000);
      return undefined;
    },
    120_000,
    'a cycle with nothing left to do',
  );

  const muts = (await control<Array<{ MutatieNr: number; Boekstuk: string; MutatieRegels: Array<{ BedragInclBTW: number; TegenrekeningCode: string }> }>>('eboekhouden', 'GET', '/mutaties')).filter((m) =>
    m.Boekstuk.startsWith('NMBRS-'),
  );
  // Exactly once: no reference twice.
  const refs = muts.map((m) => m.Boekstuk);
  const dupes = refs.filter((r, i) => refs.indexOf(r) !== i);
  expect(dupes).toEqual([]);

  // Every run nets to its current journal (after the mapping).
  const state = await control<{ runs: Array<{ id: number; journal: Array<{ lines: Array<{ dim1: string; cents: number; debitCredit: string }> }> }> }>('nmbrs', 'GET', '/state');
  for (const runId of runIds) {
    const expected: Record<string, number> = {};
    for (const tx of state.runs.find((r) => r.id === runId)!.journal) {
      for (const l of tx.lines) {
        const code = l.dim1 === '4105' ? '4000' : l.dim1;
        expected[code] = (expected[code] ?? 0) + (l.debitCredit === 'debit' ? l.cents : -l.cents);
      }
    }
    const booked: Record<string, number> = {};
    for (const m of muts.filter((x) => x.Boekstuk.startsWith(`NMBRS-1001-2026-${runId}`))) {
      for (const r of m.MutatieRegels) booked[r.TegenrekeningCode] = (booked[r.TegenrekeningCode] ?? 0) + cents(r.BedragInclBTW);
    }
    const nonZero = (o: Record<string, number>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== 0));
    expect({ runId, net: nonZero(booked) }).toEqual({ runId, net: nonZero(expected) });
  }

  // The ledger agrees: its booked entries are exactly e-Boekhouden's memorialen, nothing left uncertain.
  const ledger = (await h.call('GET', `/koppelingen/${id}/ledger`, { key })).body.items as Array<{ entity: string; status: string; reference: string; targetId?: string }>;
  const booked = ledger.filter((e) => e.entity === 'memoriaal' && e.status === 'posted');
  expect(booked.map((e) => `${e.reference}=${e.targetId}`).sort()).toEqual(muts.map((m) => `${m.Boekstuk}=${m.MutatieNr}`).sort());
  expect(ledger.filter((e) => e.entity === 'memoriaal' && e.status === 'pending')).toEqual([]);

  const calls = (await control<{ calls: Record<string, number> }>('eboekhouden', 'GET', '/stats')).calls;
  // eslint-disable-next-line no-console
  console.log(`${muts.length} memorialen, ${calls.AddMutatie ?? 0} AddMutatie calls, ${calls.GetMutaties ?? 0} look-ups after uncertain outcomes`);
  expect(kills).toBeGreaterThanOrEqual(20);
});

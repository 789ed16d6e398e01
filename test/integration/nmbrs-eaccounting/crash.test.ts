/**
 * Crash test: the production worker (`node dist/src/worker.js`, from `npm run build`) is killed with
 * SIGKILL at seeded random moments while cycles send, correct and add runs, and restarted each
 * time. eAccounting answers slowly, so kills land inside voucher posts too, including after it
 * created a voucher but before the ledger heard of it (then the ledger's look-up by text and date
 * finds it). Afterwards every voucher exists exactly once, every run nets to its current journal,
 * and the ledger agrees. Assertions depend only on the end state (CRASH_SEED=<n> repeats a run).
 */
import { seededRandom } from '../../../src/domain/random';
import { freePort } from '../../../src/dev/processes';
import { DEMO_COMPANIES, DEMO_EMAIL, DEMO_PASSWORD } from '../../../src/systems/eaccounting/simulator';
import { Browser } from '../../../src/dev/browser';
import { Harness, waitFor } from '../harness';

jest.setTimeout(300_000);

const KILLS = 4;
const h = new Harness();
let key: string;

beforeAll(async () => {
  const port = await freePort();
  await h.start({ simulators: ['nmbrs', 'eaccounting'], worker: 'child', env: { PORT: String(port), KOPPELWERK_PUBLIC_URL: `http://127.0.0.1:${port}` } });
  key = await h.tenant('crash');
});
afterAll(() => h.stop());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const live = async (id: string) => (await h.call('GET', `/koppelingen/${id}`, { key })).body;

test(`the worker is killed ${KILLS} times while vouchers are sent; each voucher exists once and the ledger agrees`, async () => {
  const seed = Number(process.env.CRASH_SEED ?? Date.now() % 100_000);
  const random = seededRandom(seed);
  // eslint-disable-next-line no-console
  console.log(`crash test seed ${seed} (repeat with CRASH_SEED=${seed})`);

  const conn = (await h.call('POST', '/connections', { key, body: { system: 'eaccounting', name: 'Visma crash' } })).body.id as string;
  const b = new Browser();
  const login = await b.go(`${h.url}/connections/${conn}/authorize`, { headers: { 'x-api-key': key } });
  const consent = await b.submit(login, { Email: DEMO_EMAIL, Password: DEMO_PASSWORD });
  const picker = await b.submit(consent, {}, { name: 'consent', value: 'allow' });
  expect((await b.submit(picker, { CompanyId: DEMO_COMPANIES.ebBedrijf })).html).toContain('Autorisatie gelukt');

  await h.control('nmbrs', 'POST', '/faults', { latencyMs: 30 });
  await h.control('eaccounting', 'POST', '/faults', { latencyMs: 250 });
  const created = await h.call('POST', '/koppelingen', {
    key,
    body: {
      type: 'nmbrs-eaccounting',
      name: 'Crash',
      settings: { nmbrsCompanyId: 1001, syncFromYear: 2026, syncFromPeriod: 1 },
      credentials: { nmbrs: { username: 'demo@koppelwerk.nl', token: 'demo-nmbrs-token', domain: 'demo' } },
      connections: { eaccounting: conn },
    },
  });
  expect(created.status).toBe(201);
  const id = created.body.id as string;
  const runIds = [41001, 41002, 41003, 41004, 41005, 41006, 41007, 41008, 41009, 41010];

  const posts = async () => (await h.control<{ voucherPosts: number }>('eaccounting', 'GET', '/stats')).voucherPosts;
  let duringWrites = 0;
  for (let i = 0; i < KILLS; i++) {
    // New work for the next cycles: corrections (reversal + new version), and once a new run with two periods.
    if (i > 0 && i % 2 === 0) {
      for (let n = 0; n < 2; n++) await h.control('nmbrs', 'POST', `/runs/${runIds[Math.floor(random() * runIds.length)]}/recalculate`, { factor: 1 + (i + n) / 100 });
    }
    if (i === 3) {
      const run = await h.control<{ id: number }>('nmbrs', 'POST', '/companies/1001/runs', { year: 2026, periodStart: 10, periodEnd: 11, isLocked: true, grossSalary: 15_004 });
      runIds.push(run.id);
    }
    const before = await posts();
    if (i > 0) void h.call('POST', `/koppelingen/${id}/sync`, { body: { reason: `crash ${i}` }, key }).catch(() => undefined);
    // Kill 0–150 ms after eAccounting accepted a voucher: the next one is often in flight, or the ledger has not heard yet.
    const wrote = await waitFor(async () => ((await posts()) > before ? true : undefined), 30_000, 'a voucher post').catch(() => false);
    if (wrote) duringWrites++;
    await sleep(Math.floor(random() * 150));
    await h.killWorker('SIGKILL');
    await h.spawnWorker();
  }
  // eslint-disable-next-line no-console
  console.log(`${KILLS} kills, ${duringWrites} right after a voucher post`);
  await h.control('nmbrs', 'POST', '/faults', {});
  await h.control('eaccounting', 'POST', '/faults', {});

  await waitFor(
    async () => {
      const k = await live(id);
      const last = k.live?.lastCycle;
      if (!last || k.live.state === 'RUNNING') return undefined;
      if (last.result === 'ok' && !last.counts.verstuurd && !last.counts.gecorrigeerd && !last.counts.mislukt) return k;
      await h.call('POST', `/koppelingen/${id}/sync`, { body: { reason: 'converge' }, key }).catch(() => undefined);
      await sleep(2_000);
      return undefined;
    },
    120_000,
    'a cycle with nothing left to send',
  );

  const vouchers = await h.control<Array<{ Id: string; VoucherText: string; Rows: Array<{ AccountNumber: number; DebitAmount: number; CreditAmount: number }> }>>('eaccounting', 'GET', `/companies/${DEMO_COMPANIES.ebBedrijf}/vouchers`);
  const refs = vouchers.map((v) => v.VoucherText.split(' ')[0]);
  expect(refs.filter((r, i) => refs.indexOf(r) !== i)).toEqual([]);

  const state = await h.control<{ runs: Array<{ id: number; journal: Array<{ lines: Array<{ dim1: string; cents: number; debitCredit: string }> }> }> }>('nmbrs', 'GET', '/state');
  const nonZero = (o: Record<string, number>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== 0));
  for (const runId of runIds) {
    const expected: Record<string, number> = {};
    for (const tx of state.runs.find((r) => r.id === runId)!.journal) {
      for (const l of tx.lines) expected[l.dim1] = (expected[l.dim1] ?? 0) + (l.debitCredit === 'debit' ? l.cents : -l.cents);
    }
    const sent: Record<string, number> = {};
    for (const v of vouchers.filter((x) => new RegExp(`^NMBRS-1001-2026-${runId}[- ]`).test(x.VoucherText))) {
      for (const r of v.Rows) sent[String(r.AccountNumber)] = (sent[String(r.AccountNumber)] ?? 0) + Math.round(r.DebitAmount * 100) - Math.round(r.CreditAmount * 100);
    }
    expect({ runId, net: nonZero(sent) }).toEqual({ runId, net: nonZero(expected) });
  }

  const ledger = (await h.call('GET', `/koppelingen/${id}/ledger?limit=200`, { key })).body.items as Array<{ entity: string; status: string; reference: string; targetId?: string }>;
  const posted = ledger.filter((e) => e.entity === 'voucher' && e.status === 'posted');
  expect(posted.map((e) => `${e.reference}=${e.targetId}`).sort()).toEqual(vouchers.map((v) => `${v.VoucherText.split(' ')[0]}=${v.Id}`).sort());
  expect(ledger.filter((e) => e.entity === 'voucher' && e.status === 'pending')).toEqual([]);
  const stats = await h.control<{ voucherPosts: number; calls: Record<string, number> }>('eaccounting', 'GET', '/stats');
  // eslint-disable-next-line no-console
  console.log(`${vouchers.length} vouchers, ${stats.voucherPosts} accepted posts, ${stats.calls['GET /v2/vouchers/{id}'] ?? 0} look-ups after uncertain outcomes`);
});

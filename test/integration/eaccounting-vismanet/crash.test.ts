/**
 * Crash test: the production worker (`node dist/src/worker.js`, from `npm run build`) is killed with
 * SIGKILL at seeded random moments while a cycle pushes orders to Visma.net, and restarted each
 * time. Visma.net answers slowly, so kills land inside sales-order posts too, including after
 * Visma.net created the order but before the ledger heard of it (then the ledger's look-up by the
 * order's external reference finds it). Afterwards every eAccounting order exists exactly once in
 * Visma.net, confirmed, every customer once, and the ledger agrees. Assertions depend only on the
 * end state (CRASH_SEED=<n> repeats a run).
 */
import { seededRandom } from '../../../src/domain/random';
import { freePort } from '../../../src/dev/processes';
import { orderReference } from '../../../src/koppelingen/eaccounting-vismanet/domain/orders';
import { DEMO_COMPANIES, DEMO_EMAIL, DEMO_PASSWORD, DEMO_SALES } from '../../../src/systems/eaccounting/simulator';
import { DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_TENANT_ID } from '../../../src/systems/vismanet/simulator/demo';
import { Browser } from '../../../src/dev/browser';
import { Harness, waitFor } from '../harness';

jest.setTimeout(300_000);

const KILLS = 4;
const ORDERS = 40;
const CUSTOMERS = 8;
const h = new Harness();
let key: string;

beforeAll(async () => {
  const port = await freePort();
  await h.start({ simulators: ['eaccounting', 'vismanet'], worker: 'child', env: { PORT: String(port), KOPPELWERK_PUBLIC_URL: `http://127.0.0.1:${port}` } });
  key = await h.tenant('crash');
});
afterAll(() => h.stop());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const live = async (id: string) => (await h.call('GET', `/koppelingen/${id}`, { key })).body;
const SHOP = DEMO_COMPANIES.webwinkel;

test(`the worker is killed ${KILLS} times while orders are pushed; each order exists once in Visma.net, confirmed, and the ledger agrees`, async () => {
  const seed = Number(process.env.CRASH_SEED ?? Date.now() % 100_000);
  const random = seededRandom(seed);
  // eslint-disable-next-line no-console
  console.log(`crash test seed ${seed} (repeat with CRASH_SEED=${seed})`);

  const conn = (await h.call('POST', '/connections', { key, body: { system: 'eaccounting', name: 'Visma crash' } })).body.id as string;
  const b = new Browser();
  const login = await b.go(`${h.url}/connections/${conn}/authorize`, { headers: { 'x-api-key': key } });
  const consent = await b.submit(login, { Email: DEMO_EMAIL, Password: DEMO_PASSWORD });
  const picker = await b.submit(consent, {}, { name: 'consent', value: 'allow' });
  expect((await b.submit(picker, { CompanyId: SHOP })).html).toContain('Autorisatie gelukt');

  // The shop's products exist in Visma.net; new customers and orders come from eAccounting.
  await h.control('vismanet', 'POST', '/inventory', ['FIETS-001', 'BEL-002', 'SLOT-003', 'ONDERHOUD'].map((inventoryNumber) => ({ inventoryNumber, description: inventoryNumber })));
  const customers = await h.control<Array<{ Id: string }>>('eaccounting', 'POST', `/companies/${SHOP}/customers`, Array.from({ length: CUSTOMERS }, (_, i) => ({
    Name: i % 2 ? `Klant ${i} B.V.` : `Particulier ${i}`,
    IsPrivatePerson: i % 2 === 0,
    TermsOfPaymentId: DEMO_SALES.terms.dagen30,
    InvoicePostalCode: '3511 AA',
    InvoiceCity: 'Utrecht',
    EmailAddress: `crash${i}@example.nl`,
  })));
  const orders = await h.control<Array<{ Id: string; Number: number }>>('eaccounting', 'POST', `/companies/${SHOP}/orders`, Array.from({ length: ORDERS }, (_, i) => ({
    Status: 4,
    CustomerId: customers[i % CUSTOMERS].Id,
    OrderDate: '2026-03-02',
    CurrencyCode: 'EUR',
    Rows: [{ ArticleNumber: ['FIETS-001', 'BEL-002', 'ONDERHOUD'][i % 3], Quantity: 1 + (i % 4) }],
  })));
  await h.control('vismanet', 'POST', '/faults', { latencyMs: 150 });

  const created = await h.call('POST', '/koppelingen', {
    key,
    body: {
      type: 'eaccounting-vismanet',
      name: 'Crash',
      settings: { flows: { products: false, orders: true, customers: false } },
      credentials: { vismanet: { clientId: DEMO_CLIENT_ID, clientSecret: DEMO_CLIENT_SECRET, tenantId: DEMO_TENANT_ID } },
      connections: { eaccounting: conn },
    },
  });
  expect(created.status).toBe(201);
  const id = created.body.id as string;

  const writes = async () => (await h.control<{ writes: Record<string, number> }>('vismanet', 'GET', '/stats')).writes['POST /api/v3/SalesOrders'] ?? 0;
  let duringWrites = 0;
  for (let i = 0; i < KILLS; i++) {
    const before = await writes();
    if (i > 0) void h.call('POST', `/koppelingen/${id}/sync`, { body: { reason: `crash ${i}` }, key }).catch(() => undefined);
    // Kill 0–200 ms after Visma.net accepted an order: the next one is often in flight, or the ledger has not heard yet.
    const wrote = await waitFor(async () => ((await writes()) > before ? true : undefined), 30_000, 'a sales order post').catch(() => false);
    if (wrote) duringWrites++;
    await sleep(Math.floor(random() * 200));
    await h.killWorker('SIGKILL');
    await h.spawnWorker();
  }
  // eslint-disable-next-line no-console
  console.log(`${KILLS} kills, ${duringWrites} right after a sales order post`);
  await h.control('vismanet', 'POST', '/faults', {});

  await waitFor(
    async () => {
      const k = await live(id);
      const last = k.live?.lastCycle;
      if (!last || k.live.state === 'RUNNING') return undefined;
      if (last.result === 'ok' && !last.counts.ordersAangemaakt && !last.counts.ordersMislukt) return k;
      await h.call('POST', `/koppelingen/${id}/sync`, { body: { reason: 'converge' }, key }).catch(() => undefined);
      await sleep(2_000);
      return undefined;
    },
    120_000,
    'a cycle with nothing left to push',
  );

  const sales = await h.control<Array<{ orderId: string; status: string; customerRefNo?: string }>>('vismanet', 'GET', '/salesorders');
  const refs = sales.map((o) => o.customerRefNo).filter((r): r is string => !!r);
  expect(refs.filter((r, i) => refs.indexOf(r) !== i)).toEqual([]);
  for (const o of orders) {
    const mine = sales.filter((s) => s.customerRefNo === orderReference(o));
    expect(mine.map((s) => s.status)).toEqual(['Open']);
  }
  const vnCustomers = await h.control<Array<{ number: string; mainContact?: { email?: string } }>>('vismanet', 'GET', '/customers');
  for (let i = 0; i < CUSTOMERS; i++) expect(vnCustomers.filter((c) => c.mainContact?.email === `crash${i}@example.nl`)).toHaveLength(1);

  const ledger = (await h.call('GET', `/koppelingen/${id}/ledger?limit=500`, { key })).body.items as Array<{ entity: string; status: string; reference: string; targetId?: string }>;
  const posted = ledger.filter((e) => e.entity === 'vismanet-salesorder' && e.status === 'posted');
  expect(posted.map((e) => `${e.reference}=${e.targetId}`).sort()).toEqual(sales.filter((s) => s.customerRefNo?.startsWith('EA-')).map((s) => `${s.customerRefNo}=${s.orderId}`).sort());
  expect(ledger.filter((e) => e.status === 'pending')).toEqual([]);
  const stats = await h.control<{ writes: Record<string, number>; calls: Record<string, number> }>('vismanet', 'GET', '/stats');
  // eslint-disable-next-line no-console
  console.log(`${sales.length} sales orders, ${stats.writes['POST /api/v3/SalesOrders'] ?? 0} accepted posts, stats ${JSON.stringify(stats.calls)}`);
});

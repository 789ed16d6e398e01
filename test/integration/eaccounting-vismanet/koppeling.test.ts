/**
 * eAccounting → Visma.net end to end: admin API → MongoDB → Temporal → worker → the eAccounting and
 * Visma.net simulators over HTTP, eAccounting authorised in the browser as a user does it. One
 * koppeling on the simulators' demo web shop ("Fietsenwinkel De Spaak") and the demo Visma.net
 * administration; the tests build on each other, switching flows and options through the settings.
 */
import { createServer, type Server } from 'node:http';
import { DEMO_COMPANIES, DEMO_EMAIL, DEMO_PASSWORD, DEMO_SALES } from '../../../src/systems/eaccounting/simulator';
import { DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_SHARED_EMAIL, DEMO_TENANT_ID } from '../../../src/systems/vismanet/simulator/demo';
import { orderReference } from '../../../src/koppelingen/eaccounting-vismanet/domain/orders';
import { freePort } from '../../../src/dev/processes';
import { Browser } from '../../../src/dev/browser';
import { Harness, waitFor } from '../harness';

jest.setTimeout(180_000);

const h = new Harness();
const SHOP = DEMO_COMPANIES.webwinkel;
let key: string;
let kid: string;
let settings: Record<string, unknown>;

beforeAll(async () => {
  const port = await freePort();
  await h.start({ simulators: ['eaccounting', 'vismanet'], env: { PORT: String(port), KOPPELWERK_PUBLIC_URL: `http://127.0.0.1:${port}` } });
  key = await h.tenant('despaak');
});
afterAll(() => h.stop());

const ea = <T = any>(method: string, path: string, body?: unknown) => h.control<T>('eaccounting', method, `/companies/${SHOP}${path}`, body);
const vn = <T = any>(method: string, path: string, body?: unknown) => h.control<T>('vismanet', method, path, body);
const live = async (id: string) => (await h.call('GET', `/koppelingen/${id}`, { key })).body;

interface Activity {
  flow: string;
  itemKey: string;
  status: string;
  message?: string;
  source?: any;
  pushed?: any;
  answer?: any;
  at: string;
}
const activity = async (query = ''): Promise<Activity[]> => {
  const res = await h.call('GET', `/koppelingen/${kid}/activity?limit=500${query}`, { key });
  expect(res.status).toBe(200);
  return res.body.items;
};

async function cycleDone(id: string, n: number) {
  return waitFor(
    async () => {
      const k = await live(id);
      return k.live && k.live.lastCycle?.cycleNo >= n && k.live.state !== 'RUNNING' ? k : undefined;
    },
    90_000,
    `cycle ${n} of ${id}`,
  );
}

async function syncNow(id = kid) {
  const before = (await live(id)).live?.lastCycle?.cycleNo ?? 0;
  const res = await h.call('POST', `/koppelingen/${id}/sync`, { body: { reason: 'test' }, key });
  expect(res.status).toBe(202);
  return (await cycleDone(id, before + 1)).live.lastCycle;
}

async function setSettings(patch: Record<string, unknown>) {
  settings = { ...settings, ...patch };
  const res = await h.call('PUT', `/koppelingen/${kid}`, { body: { settings }, key });
  expect(res.status).toBe(200);
}

const inventory = async () => (await vn<Array<{ inventoryNumber: string; description: string; body?: string }>>('GET', '/inventory')).reduce((m, i) => m.set(i.inventoryNumber, i), new Map());
const salesOrders = () => vn<Array<{ orderId: string; status: string; customerRefNo?: string; customer: { id: string }; branchId?: string; orderLines: Array<{ inventory: { id: string }; quantity: number }> }>>('GET', '/salesorders');
const customers = () => vn<Array<{ number: string; name: string; customerClass?: { id: string }; mainContact?: { name?: string; email?: string } }>>('GET', '/customers');

test('set-up: eAccounting authorised in the browser for the web shop, Visma.net by client credentials; a wrong tenant is refused with the fix', async () => {
  const conn = await h.call('POST', '/connections', { key, body: { system: 'eaccounting', name: 'De Spaak eAccounting' } });
  expect(conn.status).toBe(201);
  const b = new Browser();
  const login = await b.go(`${h.url}/connections/${conn.body.id}/authorize`, { headers: { 'x-api-key': key } });
  const consent = await b.submit(login, { Email: DEMO_EMAIL, Password: DEMO_PASSWORD });
  const picker = await b.submit(consent, {}, { name: 'consent', value: 'allow' });
  const done = await b.submit(picker, { CompanyId: SHOP });
  expect(done.html).toContain('Autorisatie gelukt');

  settings = { flows: { products: true, orders: false, customers: false }, products: { update: false } };
  const res = await h.call('POST', '/koppelingen', {
    key,
    body: {
      type: 'eaccounting-vismanet',
      name: 'De Spaak → Visma.net',
      settings,
      credentials: { vismanet: { clientId: DEMO_CLIENT_ID, clientSecret: DEMO_CLIENT_SECRET, tenantId: DEMO_TENANT_ID } },
      connections: { eaccounting: conn.body.id },
    },
  });
  expect(res.status).toBe(201);
  kid = res.body.id;
  expect(res.body.cadence).toEqual({ kind: 'interval', everyMinutes: 5 });
  // Invalid settings: 400 naming the field.
  const bad = await h.call('PUT', `/koppelingen/${kid}`, { key, body: { settings: { ...settings, orders: { statuses: [7] } } } });
  expect(bad.status).toBe(400);
  expect(JSON.stringify(bad.body)).toContain('settings.orders.statuses.0');
  await cycleDone(kid, 1);
});

test('products: created by SKU (simple products only, said so); with update off an enriched description stays; with update on it follows eAccounting', async () => {
  const first = await syncNow();
  expect(first).toMatchObject({ result: 'ok' });
  let inv = await inventory();
  for (const sku of ['FIETS-001', 'BEL-002', 'SLOT-003', 'ONDERHOUD']) expect(inv.has(sku)).toBe(true);
  expect(inv.get('FIETS-001')).toMatchObject({ description: 'Stadsfiets Classic 28"' });
  const slot = (await activity('&flow=products')).find((a) => a.itemKey === 'SLOT-003')!;
  expect(slot.message).toMatch(/eenvoudige producten/);
  expect(slot.pushed).toMatchObject({ inventoryNumber: 'SLOT-003' });

  // The user enriches the item in Visma.net, and the article changes in eAccounting.
  await vn('PUT', '/inventory/BEL-002', { body: '<p>Verrijkte omschrijving uit Visma.net</p>' });
  await ea('PUT', `/articles/${DEMO_SALES.articles.bel}`, { Name: 'Fietsbel chroom deluxe' });
  const writesBefore = (await vn('GET', '/stats')).totalWrites;
  await syncNow();
  inv = await inventory();
  expect(inv.get('BEL-002')).toMatchObject({ description: 'Fietsbel chroom', body: '<p>Verrijkte omschrijving uit Visma.net</p>' });
  expect((await vn('GET', '/stats')).totalWrites).toBe(writesBefore);
  const skipped = (await activity('&flow=products&status=skipped')).find((a) => a.itemKey === 'BEL-002');
  expect(skipped?.message).toContain('"bijwerken" staat uit');

  // Update on: the changed article is sent (and only that one).
  await setSettings({ products: { update: true } });
  await syncNow();
  inv = await inventory();
  expect(inv.get('BEL-002')).toMatchObject({ description: 'Fietsbel chroom deluxe' });
  expect(inv.get('FIETS-001')).toMatchObject({ description: 'Stadsfiets Classic 28"' });
});

test('orders: only selected statuses; company → business debtor with contact, person → person debtor; missing product waits, then goes through; an order already in Visma.net is skipped; each once, confirmed', async () => {
  // An order already in Visma.net (by its reference): it must be skipped, not sent again.
  const shippedRef = orderReference({ Id: DEMO_SALES.orders.verzonden, Number: (await ea<Array<{ Id: string; Number: number }>>('GET', '/orders')).find((o) => o.Id === DEMO_SALES.orders.verzonden)!.Number });
  await vn('POST', '/salesorders', { type: 'SO', customer: { id: '10003' }, customerRefNo: shippedRef, branchId: '1', orderLines: [{ inventoryId: 'TEGEL-3030', quantity: 1 }] });
  // A new product only in eAccounting, a new private customer, and an order for it.
  const [pomp] = await ea<Array<{ Id: string }>>('POST', '/articles', [{ Number: 'POMP-009', Name: 'Fietspomp staand', UnitId: DEMO_SALES.units.stuks, NetPrice: 24.95 }]);
  const [petra] = await ea<Array<{ Id: string }>>('POST', '/customers', [
    { Name: 'Petra Bakker', IsPrivatePerson: true, TermsOfPaymentId: DEMO_SALES.terms.dagen14, InvoiceAddress1: 'Kerkstraat 9', InvoicePostalCode: '2801 AB', InvoiceCity: 'Gouda', EmailAddress: 'petra.bakker@example.nl' },
  ]);
  const [waiting] = await ea<Array<{ Id: string; Number: number }>>('POST', '/orders', [
    { Status: 4, CustomerId: petra.Id, OrderDate: '2026-03-02', CurrencyCode: 'EUR', Rows: [{ ArticleNumber: 'POMP-009', Quantity: 2, UnitPrice: 24.95 }, { ArticleNumber: 'BEL-002', Quantity: 1 }] },
  ]);
  void pomp;

  await setSettings({ flows: { products: false, orders: true, customers: false }, orders: { statuses: [2, 3, 4], branch: '2' }, customers: { businessClass: 'ZAKELIJK', personClass: 'PARTICULIER' } });
  const c1 = await syncNow();
  expect(c1.result).toBe('partial');
  expect(c1.summary).toContain('1 wacht op producten');

  const byRef = (orders: Awaited<ReturnType<typeof salesOrders>>, ref: string) => orders.filter((o) => o.customerRefNo === ref);
  let orders = await salesOrders();
  const orderList = await ea<Array<{ Id: string; Number: number; Status: number }>>('GET', '/orders');
  const ref = (id: string) => orderReference({ Id: id, Number: orderList.find((o) => o.Id === id)!.Number });
  // Draft (status 1) is not selected; ongoing and invoiced went, confirmed, branch filled in from the settings.
  expect(byRef(orders, ref(DEMO_SALES.orders.concept))).toHaveLength(0);
  for (const id of [DEMO_SALES.orders.lopend, DEMO_SALES.orders.gefactureerd]) {
    const [o] = byRef(orders, ref(id));
    expect(o).toMatchObject({ status: 'Open', branchId: '2' });
  }
  expect(byRef(orders, shippedRef)).toHaveLength(1); // the one we put there: skipped
  expect(byRef(orders, ref(waiting.Id))).toHaveLength(0);

  // Company → business debtor with its contact person; created once for its two orders.
  const cs = await customers();
  const business = cs.filter((c) => c.mainContact?.email === 'inkoop@fietskoerier-utrecht.nl');
  expect(business).toHaveLength(1);
  expect(business[0]).toMatchObject({ name: 'Fietskoerier Utrecht B.V.', customerClass: { id: 'ZAKELIJK' }, mainContact: { name: 'Sanne de Vries' } });
  for (const id of [DEMO_SALES.orders.lopend, DEMO_SALES.orders.gefactureerd]) expect(byRef(orders, ref(id))[0].customer.id).toBe(business[0].number);

  const acts = await activity('&flow=orders');
  expect(acts.find((a) => a.itemKey === DEMO_SALES.orders.verzonden)).toMatchObject({ status: 'skipped' });
  const w = acts.find((a) => a.itemKey === waiting.Id)!;
  expect(w).toMatchObject({ status: 'waiting' });
  expect(w.message).toContain('POMP-009');
  const sent = acts.find((a) => a.itemKey === DEMO_SALES.orders.lopend)!;
  expect(sent).toMatchObject({ status: 'ok', source: { Id: DEMO_SALES.orders.lopend }, pushed: { customerRefNo: ref(DEMO_SALES.orders.lopend), branchId: '2' }, answer: { confirmed: true } });

  // The product flow goes on: the product is created first, then the waiting order goes through.
  await setSettings({ flows: { products: true, orders: true, customers: false } });
  const c2 = await syncNow();
  expect(c2.result).toBe('ok');
  orders = await salesOrders();
  const [petraOrder] = byRef(orders, ref(waiting.Id));
  expect(petraOrder).toMatchObject({ status: 'Open', orderLines: [{ inventory: { id: 'POMP-009' }, quantity: 2 }, { inventory: { id: 'BEL-002' }, quantity: 1 }] });
  // No company → person debtor.
  const person = (await customers()).find((c) => c.number === petraOrder.customer.id)!;
  expect(person).toMatchObject({ name: 'Petra Bakker', customerClass: { id: 'PARTICULIER' }, mainContact: { name: 'Petra Bakker', email: 'petra.bakker@example.nl' } });

  // Each order exactly once, also after another cycle.
  await syncNow();
  orders = await salesOrders();
  for (const id of [DEMO_SALES.orders.lopend, DEMO_SALES.orders.gefactureerd, waiting.Id]) expect(byRef(orders, ref(id))).toHaveLength(1);
  expect(byRef(orders, shippedRef)).toHaveLength(1);
});

test('duplicate e-mail in Visma.net: reported naming both customers, not guessed; the tenant is told by a signed webhook; after the fix a replay sends it', async () => {
  // The tenant's webhook.
  const received: Array<{ headers: Record<string, string | string[] | undefined>; body: any }> = [];
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: JSON.parse(raw) });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  try {
    const port = (server.address() as { port: number }).port;
    const hook = await h.call('PUT', '/tenants/despaak/webhook', { key, body: { url: `http://127.0.0.1:${port}/koppelwerk` } });
    expect([200, 201]).toContain(hook.status);

    const [bouw] = await ea<Array<{ Id: string }>>('POST', '/customers', [{ Name: 'Bouwgroep Noord', IsPrivatePerson: false, TermsOfPaymentId: DEMO_SALES.terms.dagen30, InvoicePostalCode: '9700 AA', InvoiceCity: 'Groningen', EmailAddress: DEMO_SHARED_EMAIL }]);
    const [order] = await ea<Array<{ Id: string; Number: number }>>('POST', '/orders', [{ Status: 4, CustomerId: bouw.Id, OrderDate: '2026-03-03', CurrencyCode: 'EUR', Rows: [{ ArticleNumber: 'FIETS-001', Quantity: 1 }] }]);
    const c = await syncNow();
    expect(c.result).toBe('partial');
    const failed = (await activity('&flow=orders&status=failed')).find((a) => a.itemKey === order.Id)!;
    expect(failed.message).toContain('10001, 10002');
    expect(failed.message).toContain(DEMO_SHARED_EMAIL);
    expect(failed.answer).toMatchObject({ numbers: ['10001', '10002'] });
    const ref = orderReference(order);
    expect((await salesOrders()).filter((o) => o.customerRefNo === ref)).toHaveLength(0);

    const note = await waitFor(async () => received.find((r) => r.body?.kind === 'item_failed' && r.body?.itemKey === order.Id), 30_000, 'webhook');
    expect(note.headers['koppelwerk-signature']).toBeTruthy();
    expect(JSON.stringify(note.body)).toContain('10001, 10002');

    // Not retried on its own every 5 minutes (the source did not change)…
    await syncNow();
    expect((await activity('&flow=orders&status=failed')).filter((a) => a.itemKey === order.Id)).toHaveLength(1);
    // …until the user fixes Visma.net and replays it.
    await vn('PUT', '/customers/10002', { mainContact: { email: 'installatie@bouwgroep-noord.nl' } });
    const replay = await h.call('POST', `/koppelingen/${kid}/items/orders/${order.Id}/replay`, { key, body: {} });
    expect(replay.status).toBe(202);
    await waitFor(async () => (await salesOrders()).find((o) => o.customerRefNo === ref), 60_000, 'replayed order');
    const [sent] = (await salesOrders()).filter((o) => o.customerRefNo === ref);
    expect(sent.customer.id).toBe('10001');
    expect((await h.call('POST', `/koppelingen/${kid}/items/orders/onbekend/replay`, { key, body: {} })).status).toBe(404);
  } finally {
    await new Promise<void>((r) => server.close(() => r()));
  }
});

test('datamapper preview: the exact payload from a real record, a user transform, a transform error and an invalid mapping → 400 naming the field', async () => {
  const p = await h.call('POST', `/koppelingen/${kid}/datamapper/preview`, { key, body: { flow: 'products', key: 'FIETS-001' } });
  expect(p.status).toBe(200);
  expect(p.body).toMatchObject({ flow: 'products', source: { Number: 'FIETS-001' }, payload: { inventoryNumber: 'FIETS-001', description: 'Stadsfiets Classic 28"', defaultPrice: 499 } });

  const upper = await h.call('POST', `/koppelingen/${kid}/datamapper/preview`, {
    key,
    body: { flow: 'products', key: 'FIETS-001', datamapper: { products: [{ target: 'description', source: 'Name', transforms: [{ type: 'upper' }] }] } },
  });
  expect(upper.status).toBe(200);
  expect(upper.body.payload.description).toBe('STADSFIETS CLASSIC 28"');

  const order = await h.call('POST', `/koppelingen/${kid}/datamapper/preview`, { key, body: { flow: 'orders', key: DEMO_SALES.orders.lopend } });
  expect(order.status).toBe(200);
  expect(order.body.payload).toMatchObject({ type: 'SO', branchId: '2', orderLines: [{ inventoryId: 'FIETS-001', quantity: 3 }, { inventoryId: 'BEL-002', quantity: 3 }] });
  expect(order.body.payload.orderLines).toHaveLength(2); // the text row is no order line

  const broken = await h.call('POST', `/koppelingen/${kid}/datamapper/preview`, {
    key,
    body: { flow: 'products', key: 'FIETS-001', datamapper: { products: [{ target: 'defaultPrice', source: 'Name', transforms: [{ type: 'numberFormat', decimals: 2 }] }] } },
  });
  expect(broken.status).toBe(400);
  expect(broken.body.issues[0].field).toBe('defaultPrice');

  const invalid = await h.call('POST', `/koppelingen/${kid}/datamapper/preview`, { key, body: { flow: 'products', datamapper: { products: [{ target: 'note' }] } } });
  expect(invalid.status).toBe(400);
  expect(invalid.body.issues[0].field).toMatch(/^datamapper\.products/);
  // The same mapping saved in the settings is refused the same way.
  const saved = await h.call('PUT', `/koppelingen/${kid}`, { key, body: { settings: { ...settings, datamapper: { products: [{ target: 'note' }] } } } });
  expect(saved.status).toBe(400);
  expect(JSON.stringify(saved.body)).toContain('settings.datamapper.products');
});

test('a 429 from Visma.net is waited out for its Retry-After, not failed', async () => {
  // Two requests per 2-second window: the cycle's calls meet 429s with Retry-After. Set first, so
  // whichever cycle pushes the new articles (the settings change may start one) meets it.
  const limitedBefore = (await vn('GET', '/stats')).rateLimited;
  await vn('POST', '/ratelimit', { perWindow: 2, windowSeconds: 2 });
  try {
    await ea('POST', '/articles', [{ Number: 'SNEL-1', Name: 'Snelbinder', UnitId: DEMO_SALES.units.stuks, NetPrice: 3.5 }, { Number: 'SNEL-2', Name: 'Snelbinder lang', UnitId: DEMO_SALES.units.stuks, NetPrice: 4.5 }]);
    await setSettings({ flows: { products: true, orders: false, customers: false } });
    const c = await syncNow();
    expect(c.result).toBe('ok');
  } finally {
    await vn('POST', '/ratelimit', { perWindow: 100_000, windowSeconds: 3600 });
  }
  expect((await vn('GET', '/stats')).rateLimited).toBeGreaterThan(limitedBefore);
  const inv = await inventory();
  expect(inv.has('SNEL-1') && inv.has('SNEL-2')).toBe(true);
  expect((await activity('&flow=products&status=failed')).filter((a) => a.itemKey.startsWith('SNEL'))).toHaveLength(0);
});

test('customers on their own: every eAccounting customer found by e-mail and created (person debtor) or updated, independent of orders', async () => {
  await setSettings({ flows: { products: false, orders: false, customers: true } });
  const c = await syncNow();
  expect(c.result).toBe('ok');
  const cs = await customers();
  // Jan Jansen's only selected order was skipped, so the customers flow is what brings him.
  const jan = cs.filter((x) => x.mainContact?.email === 'jan.jansen@example.nl');
  expect(jan).toHaveLength(1);
  expect(jan[0]).toMatchObject({ name: 'Jan Jansen', customerClass: { id: 'PARTICULIER' } });
  // Existing ones are updated, not created again.
  expect(cs.filter((x) => x.mainContact?.email === 'inkoop@fietskoerier-utrecht.nl')).toHaveLength(1);
  const acts = await activity('&flow=customers');
  expect(acts.find((a) => a.itemKey === DEMO_SALES.customers.particulier)).toMatchObject({ status: 'ok', answer: { number: jan[0].number } });
  expect(acts.find((a) => a.itemKey === DEMO_SALES.customers.particulier)!.message).toContain('persoonsdebiteur');
  expect(acts.find((a) => a.itemKey === DEMO_SALES.customers.bedrijf)!.message).toContain('bedrijfsdebiteur');
  // A quiet second run writes nothing.
  const writes = (await vn('GET', '/stats')).totalWrites;
  await syncNow();
  expect((await vn('GET', '/stats')).totalWrites).toBe(writes);
});

test('the activity log holds no credentials or tokens', async () => {
  const all = JSON.stringify(await activity());
  expect(all).not.toContain(DEMO_CLIENT_SECRET);
  expect(all).not.toMatch(/at_[A-Za-z0-9]|Bearer /);
});

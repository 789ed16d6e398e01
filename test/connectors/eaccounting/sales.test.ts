/**
 * Issue 11: the eAccounting sales endpoints (articles, customers, orders, terms of payment, units)
 * over HTTP between the connector and the simulator: Meta/Data paging followed, `$filter`, GET by
 * id, the ea:sales scope and the sales_standard module, and the control API that seeds and changes
 * the records. Tokens come from the simulator's real token endpoint (the browser part of the code
 * flow is covered in simulator.test.ts), so each test can pick the scopes it needs.
 */
import { tokenRequest } from '../../../src/oauth/client';
import { isKoppelError, type KoppelError } from '../../../src/domain/errors';
import { createEaccountingClient, ORDER_STATUS, unsupportedArticleFeatures, type EaccountingClient } from '../../../src/systems/eaccounting/client';
import { eaccountingOAuth2 } from '../../../src/systems/eaccounting/system';
import { DEMO_COMPANIES, DEMO_EMAIL, DEMO_SALES, startEaccountingSimulator, type EaccountingSimulator } from '../../../src/systems/eaccounting/simulator';

let sim: EaccountingSimulator;
const REDIRECT = 'http://127.0.0.1:9/oauth/callback';
const SHOP = DEMO_COMPANIES.webwinkel;

beforeAll(async () => {
  sim = await startEaccountingSimulator({ port: 0 });
});
afterAll(() => sim.close());
beforeEach(() => control('POST', '/reset', { demo: true }));

async function control<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${sim.url}/_control${path}`, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const json = (await res.json()) as T;
  if (!res.ok) throw Object.assign(new Error(`control ${method} ${path}: ${res.status} ${JSON.stringify(json)}`), { status: res.status, body: json });
  return json;
}

/** An access token with exactly these scopes for the company, through the token endpoint. */
async function token(scope: string, companyId: string = SHOP): Promise<string> {
  const def = eaccountingOAuth2({ EACCOUNTING_BASE_URL: sim.url })!;
  const code = sim.state.issueCode({ clientId: def.clientId, redirectUri: REDIRECT, email: DEMO_EMAIL, companyId, scope });
  const r = await tokenRequest(def, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT });
  if (!r.ok) throw new Error(r.error);
  return r.tokens.access_token;
}

async function client(scope = 'ea:api offline_access ea:sales_readonly', opts: { pageSize?: number; companyId?: string } = {}): Promise<EaccountingClient> {
  const t = await token(scope, opts.companyId);
  return createEaccountingClient({ baseUrl: sim.url, token: { get: async () => t, refused: async () => undefined }, pageSize: opts.pageSize });
}

async function raw(path: string, scope = 'ea:api ea:sales_readonly'): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${sim.url}${path}`, { headers: { authorization: `Bearer ${await token(scope)}` } });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function failure(p: Promise<unknown>): Promise<KoppelError> {
  try {
    await p;
  } catch (err) {
    if (isKoppelError(err)) return err;
    throw err;
  }
  throw new Error('expected a failure');
}

const calls = (endpoint: string) => sim.state.stats.calls[endpoint] ?? 0;

test('terms of payment and units: list and by id', async () => {
  const c = await client();
  const terms = await c.listTermsOfPayment();
  expect(terms.map((t) => [t.Name, t.NumberOfDays, t.TermsOfPaymentTypeId])).toEqual([
    ['14 dagen', 14, 0],
    ['30 dagen', 30, 0],
    ['Contant', 0, 2],
  ]);
  expect((await c.listUnits()).map((u) => u.Code)).toEqual(['st', 'u']);
  const one = await raw(`/v2/termsofpayments/${DEMO_SALES.terms.dagen30}`);
  expect(one).toMatchObject({ status: 200, body: { Id: DEMO_SALES.terms.dagen30, Name: '30 dagen', AvailableForSales: true } });
  expect((await raw(`/v2/units/${DEMO_SALES.units.uur}`)).body).toMatchObject({ Name: 'Uur', Abbreviation: 'u', AbbreviationEnglish: 'h' });
});

test('articles: list, by id (undefined when absent), by number, unsupported attributes/labels/images reported', async () => {
  const c = await client();
  const articles = await c.listArticles();
  expect(articles.map((a) => a.Number)).toEqual(['FIETS-001', 'BEL-002', 'SLOT-003', 'ONDERHOUD']);
  expect(articles.map((a) => [a.Number, unsupportedArticleFeatures(a)])).toEqual([
    ['FIETS-001', []],
    ['BEL-002', []],
    ['SLOT-003', ['attributes', 'categories', 'images']],
    ['ONDERHOUD', []],
  ]);
  const fiets = await c.getArticle(DEMO_SALES.articles.fiets);
  expect(fiets).toMatchObject({ Number: 'FIETS-001', NetPrice: 499, GrossPrice: 603.79, UnitName: 'Stuks', StockBalance: 12, Barcodes: ['8712345000019'], IsActive: true });
  expect(await c.getArticle('00000000-0000-4000-8000-000000000000')).toBeUndefined();
  expect((await c.listArticles({ number: 'BEL-002' })).map((a) => a.Id)).toEqual([DEMO_SALES.articles.bel]);
  expect(await c.listArticles({ number: "O'NBEKEND" })).toEqual([]);
});

test('customers: company with contact person vs private person; by e-mail (quotes escaped) and number; two with one e-mail both returned', async () => {
  const c = await client();
  const all = await c.listCustomers();
  expect(all.map((x) => [x.CustomerNumber, x.Name, x.IsPrivatePerson])).toEqual([
    ['1001', 'Fietskoerier Utrecht B.V.', false],
    ['1002', 'Jan Jansen', true],
  ]);
  const bedrijf = await c.getCustomer(DEMO_SALES.customers.bedrijf);
  expect(bedrijf).toMatchObject({ ContactPersonName: 'Sanne de Vries', TermsOfPaymentId: DEMO_SALES.terms.dagen30, TermsOfPayment: { Name: '30 dagen', NumberOfDays: 30 }, VatNumber: 'NL123456789B01' });
  expect(await c.getCustomer('00000000-0000-4000-8000-000000000000')).toBeUndefined();
  expect((await c.listCustomers({ email: 'jan.jansen@example.nl' })).map((x) => x.Id)).toEqual([DEMO_SALES.customers.particulier]);
  expect((await c.listCustomers({ number: '1001' })).map((x) => x.Id)).toEqual([DEMO_SALES.customers.bedrijf]);

  await control('POST', `/companies/${SHOP}/customers`, [
    { Name: "Sjaak O'Brien", IsPrivatePerson: true, EmailAddress: "sjaak.o'brien@example.nl" },
    { Name: 'Sjaak en Co', EmailAddress: "sjaak.o'brien@example.nl", ContactPersonName: 'Sjaak' },
  ]);
  const twins = await c.listCustomers({ email: "sjaak.o'brien@example.nl" });
  expect(twins.map((x) => [x.CustomerNumber, x.IsPrivatePerson])).toEqual([
    ['1003', true],
    ['1004', false],
  ]);
});

test('orders: by status (one query per status), rows with article, quantity and price, by id; a status change moves an order between lists', async () => {
  const c = await client();
  expect((await c.listOrders()).map((o) => [o.Number, o.Status])).toEqual([
    [1, 1],
    [2, 2],
    [3, 3],
    [4, 4],
  ]);
  const before = calls('GET /v2/orders');
  const open = await c.listOrders({ statuses: [ORDER_STATUS.Shipped, ORDER_STATUS.Ongoing] });
  expect(calls('GET /v2/orders') - before).toBe(2);
  expect(open.map((o) => o.Number)).toEqual([2, 3]);
  const lopend = open[0];
  expect(lopend).toMatchObject({ CustomerId: DEMO_SALES.customers.bedrijf, CustomerName: 'Fietskoerier Utrecht B.V.', CustomerIsPrivatePerson: false, CurrencyCode: 'EUR', OrderDate: '2026-01-05', YourReference: 'PO-2026-001', Amount: 1519.5, VatAmount: 319.1 });
  expect(lopend.Rows.map((r) => [r.LineNumber, r.IsTextRow, r.ArticleNumber, r.Quantity, r.UnitPrice, r.Amount])).toEqual([
    [0, false, 'FIETS-001', 3, 499, 1497],
    [1, false, 'BEL-002', 3, 7.5, 22.5],
    [2, true, null, 0, 0, 0],
  ]);
  expect(lopend.Rows[2].Text).toBe('Levering op de zaak');
  expect(await c.getOrder(DEMO_SALES.orders.verzonden)).toMatchObject({ Number: 3, Status: 3, CustomerIsPrivatePerson: true, ShippedDateTime: expect.any(String) });
  expect(await c.getOrder('00000000-0000-4000-8000-000000000000')).toBeUndefined();

  // The user ships order 2 in eAccounting: it leaves the Ongoing list and keeps its rows.
  const shipped = await control<{ Status: number; ModifiedUtc: string; Rows: unknown[] }>('PUT', `/companies/${SHOP}/orders/${DEMO_SALES.orders.lopend}`, { Status: 3, ModifiedUtc: '2026-02-01T10:00:00Z' });
  expect(shipped).toMatchObject({ Status: 3, ModifiedUtc: '2026-02-01T10:00:00.000Z' });
  expect(shipped.Rows).toHaveLength(3);
  expect((await c.listOrders({ statuses: [2] })).map((o) => o.Number)).toEqual([]);
  expect((await c.listOrders({ statuses: [3] })).map((o) => o.Number)).toEqual([2, 3]);
  expect((await c.listOrders({ number: 4 })).map((o) => o.Id)).toEqual([DEMO_SALES.orders.gefactureerd]);
});

test('changed-since filters: ChangedUtc / ModifiedUtc gt, combined with status; control stamps given times', async () => {
  const c = await client();
  // The demo data is stamped 2026-01-05T09:00Z.
  expect(await c.listArticles({ changedSince: '2026-01-05T09:00:00Z' })).toEqual([]);
  expect(await c.listArticles({ changedSince: '2026-01-05T08:59:59Z' })).toHaveLength(4);
  await control('PUT', `/companies/${SHOP}/articles/${DEMO_SALES.articles.bel}`, { Name: 'Fietsbel messing', NetPrice: 8.25, ChangedUtc: '2026-03-01T12:00:00Z' });
  const changed = await c.listArticles({ changedSince: '2026-02-01T00:00:00Z' });
  expect(changed.map((a) => [a.Number, a.Name, a.NetPrice, a.ChangedUtc])).toEqual([['BEL-002', 'Fietsbel messing', 8.25, '2026-03-01T12:00:00.000Z']]);
  expect(changed[0].CreatedUtc).toBe('2026-01-05T09:00:00.000Z');

  await control('PUT', `/companies/${SHOP}/customers/${DEMO_SALES.customers.particulier}`, { EmailAddress: 'jan@jansen.nl', ChangedUtc: '2026-03-02T00:00:00Z' });
  expect((await c.listCustomers({ changedSince: '2026-03-01T00:00:00Z' })).map((x) => [x.Name, x.EmailAddress, x.CustomerNumber])).toEqual([['Jan Jansen', 'jan@jansen.nl', '1002']]);

  await control('PUT', `/companies/${SHOP}/orders/${DEMO_SALES.orders.concept}`, { Status: 2, ModifiedUtc: '2026-03-03T00:00:00Z' });
  expect((await c.listOrders({ statuses: [2, 3], modifiedSince: '2026-03-01T00:00:00Z' })).map((o) => o.Number)).toEqual([1]);
});

test('paging: the client follows Meta pages; Meta/Data envelope as the accounting endpoints', async () => {
  const bulk = Array.from({ length: 23 }, (_, i) => ({ Number: `BULK-${String(i).padStart(3, '0')}`, Name: `Bulkartikel ${i}`, NetPrice: i + 0.5, UnitCode: 'st' }));
  const created = await control<unknown[]>('POST', `/companies/${SHOP}/articles`, bulk);
  expect(created).toHaveLength(23);
  const c = await client(undefined, { pageSize: 10 });
  const before = calls('GET /v2/articles');
  const all = await c.listArticles();
  expect(calls('GET /v2/articles') - before).toBe(3);
  expect(all).toHaveLength(27);
  expect(new Set(all.map((a) => a.Id)).size).toBe(27);

  const page = await raw('/v2/articles?$page=3&$pagesize=10');
  expect(page.status).toBe(200);
  expect(page.body.Meta).toMatchObject({ CurrentPage: 3, PageSize: 10, TotalNumberOfPages: 3, TotalNumberOfResults: 27 });
  expect(page.body.Data).toHaveLength(7);
});

test('$filter on the wire: eq/ne/gt/le, and/or, datetime literal, null; unknown field and bad clause → 400/6000', async () => {
  const numbers = async (path: string) => ((await raw(path)).body.Data as Array<{ Number: number | string }>).map((x) => x.Number);
  const q = (f: string) => `/v2/orders?$filter=${encodeURIComponent(f)}`;
  expect(await numbers(q('Status eq 1 or Status eq 4'))).toEqual([1, 4]);
  expect(await numbers(q("Status ne 1 and CustomerNumber eq '1001'"))).toEqual([2, 4]);
  expect(await numbers(q('Number le 2'))).toEqual([1, 2]);
  expect(await numbers(q("OrderDate eq '2026-01-05' and Status gt 2"))).toEqual([3, 4]);
  expect(await numbers(q("ModifiedUtc gt datetime'2026-01-05T08:00:00'"))).toEqual([1, 2, 3, 4]);
  expect(await numbers(q('ModifiedUtc gt 2026-01-05T09:00:00Z'))).toEqual([]);
  expect(await numbers(q('YourReference eq null'))).toEqual([1, 3]);
  expect(await numbers(`/v2/articles?$filter=${encodeURIComponent("Name eq 'Fietsbel chroom'")}`)).toEqual(['BEL-002']);

  const unknown = await raw(q("Colour eq 'red'"));
  expect(unknown).toMatchObject({ status: 400, body: { ErrorCode: 6000 } });
  expect(unknown.body.DeveloperErrorMessage).toContain('unknown field Colour');
  expect(await raw(q('Status between 1'))).toMatchObject({ status: 400, body: { ErrorCode: 6000 } });
  expect(await raw(`/v2/articles/${DEMO_SALES.articles.fiets.replace('7c', '00')}`)).toMatchObject({ status: 404, body: { ErrorCode: 3000 } });
});

test('scopes: sales endpoints need ea:sales (GET also _readonly); an accounting-only token is refused 403/4006 → re-authorise; accounting keeps its own', async () => {
  const accountingOnly = await client('ea:api offline_access ea:accounting');
  const e = await failure(accountingOnly.listArticles());
  expect(e).toMatchObject({ type: 'ReauthRequired', code: '4006' });
  expect(e.oorzaak).toContain('ea:sales');
  expect(e.oplossing).toContain('opnieuw');
  for (const path of ['/v2/customers', '/v2/orders', '/v2/units', `/v2/articles/${DEMO_SALES.articles.fiets}`]) {
    expect(await raw(path, 'ea:api ea:accounting')).toMatchObject({ status: 403, body: { ErrorCode: 4006 } });
  }
  // Terms of payment are also a purchase resource (contract §2.4).
  expect((await raw('/v2/termsofpayments', 'ea:api ea:purchase_readonly')).status).toBe(200);
  // A sales-only token reads company settings and fiscal years but not vouchers.
  const salesOnly = await client('ea:api ea:sales');
  expect((await salesOnly.companySettings()).Name).toBe('Fietsenwinkel De Spaak');
  expect(await salesOnly.fiscalYears()).toHaveLength(1);
  expect((await raw('/v2/vouchers', 'ea:api ea:sales')).status).toBe(403);
  // The nmbrs-eaccounting scopes still reach vouchers.
  expect((await raw('/v2/vouchers', 'ea:api ea:accounting')).status).toBe(200);
  // The platform's OAuth2 definition asks for the read-only sales scope.
  expect(eaccountingOAuth2({ EACCOUNTING_BASE_URL: sim.url })!.scopes).toEqual(['ea:api', 'offline_access', 'ea:accounting', 'ea:sales_readonly']);
});

test('module: orders need sales_standard (403/4002 → PermissionDenied with the Dutch cause); articles do not', async () => {
  await control('PUT', `/companies/${SHOP}`, { modules: ['api_standard'] });
  const c = await client();
  const e = await failure(c.listOrders({ statuses: [2] }));
  expect(e).toMatchObject({ type: 'PermissionDenied', code: '4002' });
  expect(e.oorzaak).toContain('sales_standard');
  expect(e.oplossing).toContain('verkoopmodule');
  expect(await c.listArticles()).toHaveLength(4);
});

test('control API: bulk seeding, validation 400 naming the field, unknown references refused, stats per endpoint, sales reset', async () => {
  // Terms and units first, then a customer and an order that use them.
  const [terms] = await control<Array<{ Id: string }>>('POST', `/companies/${SHOP}/termsofpayments`, [{ Name: '60 dagen', NumberOfDays: 60 }]);
  const unit = await control<{ Id: string }>('POST', `/companies/${SHOP}/units`, { Name: 'Meter', Code: 'm' });
  await control('PUT', `/companies/${SHOP}/units/${unit.Id}`, { AbbreviationEnglish: 'm' });
  await control('POST', `/companies/${SHOP}/articles`, { Number: 'KABEL-M', Name: 'Remkabel per meter', UnitId: unit.Id, NetPrice: 2.1 });
  const cust = await control<{ Id: string; CustomerNumber: string; TermsOfPayment: { Name: string } }>('POST', `/companies/${SHOP}/customers`, { Name: 'Rijwielhandel Noord', TermsOfPaymentId: terms.Id, EmailAddress: 'noord@example.nl' });
  expect(cust).toMatchObject({ CustomerNumber: '1003', TermsOfPayment: { Name: '60 dagen' } });
  const order = await control<{ Number: number; Amount: number; Rows: Array<{ UnitId: string }> }>('POST', `/companies/${SHOP}/orders`, { CustomerNumber: '1003', Status: 2, Rows: [{ ArticleNumber: 'KABEL-M', Quantity: 12.5, DiscountPercentage: 0.1 }] });
  expect(order).toMatchObject({ Number: 5, Amount: 23.63 });
  expect(order.Rows[0].UnitId).toBe(unit.Id);

  const c = await client();
  expect((await c.listOrders({ statuses: [2] })).map((o) => o.Number)).toEqual([2, 5]);
  expect((await c.listUnits()).find((u) => u.Code === 'm')).toMatchObject({ AbbreviationEnglish: 'm' });

  await expect(control('POST', `/companies/${SHOP}/articles`, { Number: 'X'.repeat(41), Name: 'te lang' })).rejects.toMatchObject({ status: 400, body: { issues: [expect.objectContaining({ path: ['Number'] })] } });
  await expect(control('POST', `/companies/${SHOP}/articles`, { Number: 'FIETS-001', Name: 'dubbel' })).rejects.toMatchObject({ status: 400 });
  await expect(control('POST', `/companies/${SHOP}/orders`, { CustomerNumber: '1001', Rows: [{ ArticleNumber: 'BESTAAT-NIET' }] })).rejects.toMatchObject({ status: 400, body: { error: expect.stringContaining('BESTAAT-NIET') } });
  await expect(control('PUT', `/companies/${SHOP}/orders/${DEMO_SALES.orders.concept}`, { Status: 7 })).rejects.toMatchObject({ status: 400 });

  const stats = await control<{ calls: Record<string, number> }>('GET', '/stats');
  expect(stats.calls['GET /v2/orders']).toBe(1);
  expect(stats.calls['GET /v2/units']).toBe(1);

  await control('DELETE', `/companies/${SHOP}/sales`);
  expect(await c.listArticles()).toEqual([]);
  expect(await control('GET', `/companies/${SHOP}/orders`)).toEqual([]);
});

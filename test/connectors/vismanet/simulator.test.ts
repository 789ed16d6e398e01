/**
 * The Visma.net ERP simulator over HTTP with the connector: Visma Connect client credentials
 * (tenant, scopes, expiry, single-flight cache), `{value}` DTOs with 201 + Location, customers by
 * e-mail (not unique), inventory, SalesOrders v3 with ETag / If-Match (428, 412), rate limits with
 * Retry-After, VismaId error texts mapped to the field, unknown query parameters ignored.
 */
import { clearVismanetTokenCache, createVismanetClient, isVismanetError, type VismanetClient, type VismanetCredentials, type VismanetError } from '../../../src/systems/vismanet/client';
import { DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_CUSTOMER_TENANT_ID, DEMO_SHARED_EMAIL, DEMO_TENANT_ID, startVismanetSimulator, type VismanetSimulator } from '../../../src/systems/vismanet/simulator';

let sim: VismanetSimulator;
const creds: VismanetCredentials = { clientId: DEMO_CLIENT_ID, clientSecret: DEMO_CLIENT_SECRET, tenantId: DEMO_TENANT_ID };

beforeAll(async () => {
  sim = await startVismanetSimulator({ port: 0 });
});
afterAll(() => sim.close());
beforeEach(async () => {
  clearVismanetTokenCache();
  await control('POST', '/reset', {});
});

async function control(method: string, path: string, body?: unknown) {
  const res = await fetch(`${sim.url}/_control${path}`, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  if (!res.ok) throw new Error(`control ${method} ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

const client = (c: Partial<VismanetCredentials> = {}, fetchImpl?: typeof fetch): VismanetClient => createVismanetClient({ baseUrl: sim.url, credentials: { ...creds, ...c }, pace: false, fetchImpl });

async function failure(p: Promise<unknown>): Promise<VismanetError> {
  try {
    await p;
  } catch (err) {
    if (isVismanetError(err)) return err;
    throw err;
  }
  throw new Error('expected a VismanetError');
}

async function token(tenantId = DEMO_TENANT_ID): Promise<string> {
  const res = await fetch(`${sim.url}/connect/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: DEMO_CLIENT_ID, client_secret: DEMO_CLIENT_SECRET, tenant_id: tenantId, scope: 'vismanet_erp_service_api:read vismanet_erp_service_api:create visma.net.erp.salesorder:read visma.net.erp.salesorder:write' }),
  });
  return ((await res.json()) as { access_token: string }).access_token;
}

const raw = async (method: string, path: string, opts: { body?: unknown; headers?: Record<string, string>; bearer?: string } = {}) =>
  fetch(`${sim.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${opts.bearer ?? (await token())}`, ...(opts.body === undefined ? {} : { 'content-type': 'application/json' }), ...opts.headers },
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
  });

describe('Visma Connect token (client credentials + tenant_id)', () => {
  it('issues a one-hour token and the client reuses it, fetching it once for concurrent callers', async () => {
    const res = await fetch(`${sim.url}/connect/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ grant_type: 'client_credentials', client_id: DEMO_CLIENT_ID, client_secret: DEMO_CLIENT_SECRET, tenant_id: DEMO_TENANT_ID, scope: 'vismanet_erp_service_api:read' }) });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: 'vismanet_erp_service_api:read' });

    const before = sim.state.stats.tokensIssued;
    const c = client();
    await Promise.all([c.listBranches(), c.getCustomer('10001'), c.findCustomersByEmail('x@y.nl'), c.getInventoryItem('LIJM-25')]);
    await c.listBranches();
    expect(sim.state.stats.tokensIssued - before).toBe(1);
  });

  it('refuses a tenant the app is not approved for, and a Customer tenant gets 401 from the API', async () => {
    const unapproved = await failure(client({ tenantId: '00000000-0000-4000-8000-000000000999' }).listBranches());
    expect(unapproved).toMatchObject({ kind: 'auth', type: 'ReauthRequired', status: 400, code: 'invalid_grant' });
    expect(unapproved.oplossing).toMatch(/Company-tenant/);

    const api = await raw('GET', '/v1/branch', { bearer: await token(DEMO_CUSTOMER_TENANT_ID) });
    expect(api.status).toBe(401);
    const customerTenant = await failure(client({ tenantId: DEMO_CUSTOMER_TENANT_ID }).listBranches());
    expect(customerTenant).toMatchObject({ kind: 'auth', status: 401 });
    expect(customerTenant.oorzaak).toMatch(/Customer-tenant/);

    const badSecret = await failure(client({ clientSecret: 'wrong' }).listBranches());
    expect(badSecret).toMatchObject({ kind: 'auth', status: 401, code: 'invalid_client' });
    expect(badSecret.message).not.toContain('wrong');
  });

  it('gets a new token after the old one expired (401 → one retry) and before it would expire', async () => {
    const c = client();
    await c.listBranches();
    const issued = sim.state.stats.tokensIssued;
    await control('POST', '/tokens/expire');
    expect(await c.listBranches()).toHaveLength(2);
    expect(sim.state.stats.tokensIssued).toBe(issued + 1);

    // A token within the renewal margin (60 s) is replaced before use, not sent to fail.
    await control('POST', '/tokens/lifetime', { seconds: 30 });
    clearVismanetTokenCache();
    const calls = { ...sim.state.stats.calls };
    await c.listBranches();
    await c.listBranches();
    expect(sim.state.stats.tokensIssued).toBe(issued + 3);
    expect(sim.state.stats.calls['GET /v1/branch'] - (calls['GET /v1/branch'] ?? 0)).toBe(2);
  });

  it('refuses scopes Visma did not approve for the app', async () => {
    await control('POST', '/clients', { clientId: 'read-only', clientSecret: 's3cret', tenants: [DEMO_TENANT_ID], scopes: ['vismanet_erp_service_api:read'] });
    const e = await failure(client({ clientId: 'read-only', clientSecret: 's3cret' }).listBranches());
    expect(e).toMatchObject({ kind: 'auth', type: 'PermissionDenied', code: 'invalid_scope' });
    expect(e.oplossing).toMatch(/scopes/);
  });

  it('answers 403 to a call the token has no scope for', async () => {
    const res = await fetch(`${sim.url}/connect/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ grant_type: 'client_credentials', client_id: DEMO_CLIENT_ID, client_secret: DEMO_CLIENT_SECRET, tenant_id: DEMO_TENANT_ID, scope: 'vismanet_erp_service_api:read' }) });
    const readOnly = ((await res.json()) as { access_token: string }).access_token;
    expect((await raw('GET', '/v1/customer/10001', { bearer: readOnly })).status).toBe(200);
    const refused = await raw('POST', '/v1/customer', { bearer: readOnly, body: { name: { value: 'X' } } });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toEqual({ message: "The token does not have the scope 'vismanet_erp_service_api:create'." });
  });
});

describe('customers', () => {
  it('finds customers by e-mail, case-insensitively, and reports both when two share one', async () => {
    const c = client();
    const both = await c.findCustomersByEmail(DEMO_SHARED_EMAIL.toUpperCase());
    expect(both.map((x) => x.number).sort()).toEqual(['10001', '10002']);
    expect(await c.findCustomersByEmail('niemand@example.nl')).toEqual([]);
  });

  it('creates with {value} DTOs: 201, empty body, the number in Location; updates with 204', async () => {
    const res = await raw('POST', '/v1/customer', { body: { name: { value: 'Raw B.V.' } } });
    expect(res.status).toBe(201);
    expect(await res.text()).toBe('');
    expect(res.headers.get('location')).toMatch(/\/v1\/customer\/\d+$/);

    const c = client();
    const { number } = await c.createCustomer({ name: 'Tegelhandel Oost B.V.', mainContact: { name: 'Piet de Vries', email: 'piet@tegeloost.nl' }, mainAddress: { addressLine1: 'Kade 4', postalCode: '7411 AB', city: 'Deventer', countryId: 'NL' }, creditTermsId: '14D' });
    const created = await c.getCustomer(number);
    expect(created).toMatchObject({ number, name: 'Tegelhandel Oost B.V.', mainContact: { name: 'Piet de Vries', email: 'piet@tegeloost.nl' }, mainAddress: { city: 'Deventer', country: { id: 'NL' } }, creditTerms: { id: '14D' } });
    expect(sim.state.company(DEMO_TENANT_ID).customers.find((x) => x.number === number)).toBeDefined();

    await c.updateCustomer(number, { mainContact: { phone1: '0570-123456' } });
    const updated = await c.getCustomer(number);
    expect(updated?.mainContact).toMatchObject({ name: 'Piet de Vries', email: 'piet@tegeloost.nl', phone1: '0570-123456' });
    expect(await c.findCustomersByEmail('piet@tegeloost.nl')).toHaveLength(1);
    expect(await c.getCustomer('99999')).toBeUndefined();
    expect(await sim.state.stats.writes).toMatchObject({ 'POST /v1/customer': 2, 'PUT /v1/customer/{number}': 1 });
  });

  it("maps \"'<Field>' cannot be empty\" to the DTO field, with the VismaId text in the cause", async () => {
    const res = await raw('POST', '/v1/customer', { body: { name: 'not wrapped' } });
    expect(res.status).toBe(400);
    const { message } = (await res.json()) as { message: string };
    expect(message).toMatch(/^VismaId: [0-9a-f-]{36}\. Error inserting the customer\. Error: Inserting 'Customer' record raised at least one error\. Please review the errors\.\r\nError: 'Customer Name' cannot be empty\./);

    const e = await failure(client().createCustomer({ mainContact: { email: 'x@y.nl' } }));
    expect(e).toMatchObject({ kind: 'validation', type: 'InvalidData', status: 400, field: 'name' });
    expect(e.oorzaak).toContain("'Customer Name' is leeg");
    const own = await failure(client().createCustomer({ name: 'Eigen nummer', overrideNumberSeries: true }));
    expect(own.field).toBe('number');
  });

  it('ignores unknown query parameters (200, unfiltered) and sends metadata with every row', async () => {
    const res = await raw('GET', '/v1/customer?emailAddress=niemand@example.nl&pageNumber=1&pageSize=2');
    expect(res.status).toBe(200);
    const rows = (await res.json()) as Array<{ metadata: { totalCount: number; maxPageSize: number } }>;
    expect(rows).toHaveLength(2);
    expect(rows[0].metadata).toEqual({ totalCount: 3, maxPageSize: 1000 });
  });
});

describe('inventory and branches', () => {
  it('gets by inventory number, creates (Location), refuses a duplicate and updates only what is sent', async () => {
    const c = client();
    expect(await c.getInventoryItem('NIEUW-1')).toBeUndefined();
    expect(await c.createInventoryItem({ inventoryNumber: 'NIEUW-1', description: 'Nieuw artikel', defaultPrice: 9.95, vatCode: '1' })).toEqual({ inventoryNumber: 'NIEUW-1' });
    expect(await c.getInventoryItem('NIEUW-1')).toMatchObject({ inventoryNumber: 'NIEUW-1', description: 'Nieuw artikel', defaultPrice: 9.95, vatCode: { id: '1' }, status: 'Active' });

    const dup = await failure(c.createInventoryItem({ inventoryNumber: 'NIEUW-1', description: 'Nog eens' }));
    expect(dup).toMatchObject({ kind: 'conflict', status: 409 });
    const empty = await failure(c.createInventoryItem({ inventoryNumber: 'NIEUW-2' }));
    expect(empty).toMatchObject({ kind: 'validation', field: 'description' });

    await c.updateInventoryItem('NIEUW-1', { defaultPrice: 11.5 });
    expect(await c.getInventoryItem('NIEUW-1')).toMatchObject({ description: 'Nieuw artikel', defaultPrice: 11.5 });
    expect(await failure(c.updateInventoryItem('ONBEKEND', { defaultPrice: 1 }))).toMatchObject({ kind: 'notFound', status: 404 });
  });

  it('lets the control API enrich an item as a user would (plain fields)', async () => {
    await control('PUT', '/inventory/LIJM-25', { body: '<p>Lange omschrijving uit Visma.net</p>' });
    expect(await client().getInventoryItem('LIJM-25')).toMatchObject({ description: 'Tegellijm 25 kg', body: '<p>Lange omschrijving uit Visma.net</p>' });
  });

  it('lists the branches', async () => {
    expect((await client().listBranches()).map((b) => [b.number, b.isMainBranch])).toEqual([
      ['1', true],
      ['2', false],
    ]);
  });
});

describe('sales orders v3', () => {
  const order = (ref: string) => ({ customer: { id: '10003' }, branchId: '1', customerRefNo: ref, description: 'Order 1042 uit eAccounting', orderLines: [{ inventoryId: 'TEGEL-3030', quantity: 10 }, { inventoryId: 'LIJM-25', quantity: 2, unitPrice: 17 }] });

  it('creates (Location → id), reads with an ETag, finds it by reference and confirms it once', async () => {
    const c = client();
    const { id, type } = await c.createSalesOrder(order('eacc-order-1042'));
    expect([type, id]).toEqual(['SO', '000001']);
    const got = await c.getSalesOrder(id);
    expect(got?.etag).toMatch(/^".+"$/);
    expect(got?.order).toMatchObject({ orderId: id, status: 'Hold', customer: { id: '10003' }, customerRefNo: 'eacc-order-1042', branchId: '1', orderTotal: 283.5 });
    expect(await c.getSalesOrder('999999')).toBeUndefined();

    expect((await c.findSalesOrdersByReference('eacc-order-1042')).map((o) => o.orderId)).toEqual([id]);
    expect(await c.findSalesOrdersByReference('eacc-order-9999')).toEqual([]);

    expect(await c.confirmSalesOrder(id)).toMatchObject({ orderId: id, status: 'Open' });
    const patches = sim.state.stats.writes['PATCH /api/v3/SalesOrders/{type}/{orderId}'];
    expect(await c.confirmSalesOrder(id)).toMatchObject({ status: 'Open' });
    expect(sim.state.stats.writes['PATCH /api/v3/SalesOrders/{type}/{orderId}']).toBe(patches);
  });

  it('answers 428 without If-Match and 412 on a stale ETag; confirm reads the new ETag once on 412', async () => {
    const c = client();
    const { id } = await c.createSalesOrder(order('eacc-order-7'));
    const { etag } = (await c.getSalesOrder(id))!;
    expect((await raw('PATCH', `/api/v3/SalesOrders/SO/${id}`, { body: { description: 'x' } })).status).toBe(428);
    expect((await raw('PATCH', `/api/v3/SalesOrders/SO/${id}`, { body: { description: 'x' }, headers: { 'if-match': etag } })).status).toBe(200);
    expect((await raw('PATCH', `/api/v3/SalesOrders/SO/${id}`, { body: { description: 'y' }, headers: { 'if-match': etag } })).status).toBe(412);

    // Someone changes the order between the client's GET and its PATCH: one 412, then success.
    let changed = false;
    const racing: typeof fetch = async (input, init) => {
      if (init?.method === 'PATCH' && !changed) {
        changed = true;
        await control('PATCH', `/salesorders/SO/${id}`, { description: 'door een gebruiker gewijzigd' });
      }
      return fetch(input, init);
    };
    const statuses: number[] = [];
    const r = createVismanetClient({ baseUrl: sim.url, credentials: creds, pace: false, fetchImpl: racing, onCall: (endpoint, _ms, status) => endpoint.startsWith('PATCH') && statuses.push(status) });
    expect(await r.confirmSalesOrder(id)).toMatchObject({ status: 'Open', description: 'door een gebruiker gewijzigd' });
    expect(statuses).toEqual([412, 200]);
  });

  it('names the empty field of a refused order (branch, customer, lines)', async () => {
    const c = client();
    expect(await failure(c.createSalesOrder({ ...order('r'), branchId: undefined }))).toMatchObject({ kind: 'validation', field: 'branchId' });
    expect(await failure(c.createSalesOrder({ ...order('r'), orderLines: [] }))).toMatchObject({ kind: 'validation', field: 'orderLines' });
    const missing = await failure(c.createSalesOrder({ ...order('r'), orderLines: [{ inventoryId: 'BESTAAT-NIET', quantity: 1 }] }));
    expect(missing).toMatchObject({ kind: 'validation', status: 400 });
    expect(missing.message).toContain("Inventory item 'BESTAAT-NIET' does not exist");
  });
});

describe('rate limits', () => {
  it('sends X-RateLimit-* headers and answers 429 with Retry-After at the limit; the client throws rateLimited', async () => {
    const bearer = await token();
    const ok = await raw('GET', '/v1/branch', { bearer });
    expect(ok.headers.get('x-ratelimit-limit')).toBe('20000');
    expect(Number(ok.headers.get('x-ratelimit-remaining'))).toBe(19999);
    expect(Number(ok.headers.get('x-ratelimit-reset'))).toBeGreaterThan(0);
    expect(ok.headers.get('x-ratelimit-policy')).toBe('4-fixed-window');

    await control('POST', '/ratelimit', { perWindow: 2, windowSeconds: 600 });
    const c = client();
    await c.listBranches();
    await c.listBranches();
    const e = await failure(c.listBranches());
    expect(e).toMatchObject({ kind: 'rateLimited', type: 'RateLimited', status: 429 });
    expect(e.retryAfterSeconds).toBeGreaterThan(500);
    expect(e.retryAfterSeconds).toBeLessThanOrEqual(600);
    expect(e.retryAfterMs).toBe(e.retryAfterSeconds! * 1000);
    // The SalesOrders service counts apart.
    await c.findSalesOrdersByReference('x');
  });

  it('honours an injected 429 Retry-After and a 500 as transient', async () => {
    await control('POST', '/faults', { rateLimitRate: 1, retryAfterSeconds: 7 });
    expect(await failure(client().getCustomer('10001'))).toMatchObject({ kind: 'rateLimited', retryAfterSeconds: 7 });
    await control('POST', '/faults', { errorRate: 1 });
    expect(await failure(client().getCustomer('10001'))).toMatchObject({ kind: 'transient', type: 'Transient' });
    await control('POST', '/faults', {});
    expect(await client().getCustomer('10001')).toMatchObject({ number: '10001' });
  });
});

describe('paging and the state file', () => {
  it('follows v1 pages and v3 nextPage', async () => {
    await control('POST', '/customers', Array.from({ length: 1005 }, (_, i) => (i % 2 ? { name: `Klant ${i}`, mainContact: { email: 'gedeeld@voorbeeld.nl' } } : { name: { value: `Klant ${i}` }, mainContact: { value: { email: { value: 'gedeeld@voorbeeld.nl' } } } })));
    expect(await client().findCustomersByEmail('gedeeld@voorbeeld.nl')).toHaveLength(1005);
    await control('POST', '/salesorders', Array.from({ length: 150 }, () => ({ type: 'SO', customer: { id: '10003' }, branchId: '1', customerRefNo: 'dubbel', orderLines: [{ inventoryId: 'LIJM-25', quantity: 1 }] })));
    expect(await client().findSalesOrdersByReference('dubbel')).toHaveLength(150);
  });

  it('keeps what was written across a restart, numbering on', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'kw-vismanet-'));
    try {
      const file = join(dir, 'vismanet.json');
      const first = await startVismanetSimulator({ port: 0, stateFile: file });
      const c1 = createVismanetClient({ baseUrl: first.url, credentials: creds, pace: false });
      const { number } = await c1.createCustomer({ name: 'Blijft bestaan B.V.' });
      await first.close();
      clearVismanetTokenCache();
      const second = await startVismanetSimulator({ port: 0, stateFile: file });
      try {
        const c2 = createVismanetClient({ baseUrl: second.url, credentials: creds, pace: false });
        expect(await c2.getCustomer(number)).toMatchObject({ name: 'Blijft bestaan B.V.' });
        expect(Number((await c2.createCustomer({ name: 'Volgende' })).number)).toBe(Number(number) + 1);
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

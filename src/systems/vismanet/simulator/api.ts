/**
 * The wire side of the Visma.net simulator: Visma Connect's token endpoint (client credentials with
 * tenant_id), the ERP API v1 (customer, inventory, branch: `{value}` DTOs, 201 + Location with an
 * empty body, arrays with per-item metadata) and the SalesOrders API v3 (ETag / If-Match). Every API
 * answer carries X-RateLimit-* headers; over the limit it is 429 with Retry-After (contract §3.4).
 * Unknown query parameters are ignored, as the real API does (§3.2).
 */
import express, { type NextFunction, type Request, type Response } from 'express';
import {
  CUSTOMER_TENANT_API_STATUS,
  customerEmailMatches,
  customerNameMatches,
  MAX_PAGE_SIZE,
  MISSING_IF_MATCH_STATUS,
  MISSING_SCOPE_STATUS,
  notFoundText,
  RATE_LIMIT_POLICY,
  requiredScope,
  SCOPE_NOT_APPROVED_ERROR,
  STALE_ETAG_STATUS,
  UNAPPROVED_TENANT,
  V3_DEFAULT_PAGE_SIZE,
  V3_FILTER_OPERATORS,
} from './inferred';
import { SimError, vismaId, VismanetState } from './state';
import type { Json, SimToken } from './types';

type Authed = Request & { vc?: SimToken };

export function sendError(res: Response, status: number, message: string): void {
  res.status(status).json({ message });
}

/** The endpoint of a request for the call counters: ids replaced by placeholders. */
export function endpointOf(method: string, path: string): string | undefined {
  const p = path.replace(/\/+$/, '');
  const rules: Array<[RegExp, string]> = [
    [/^\/connect\/token$/, '/connect/token'],
    [/^\/v1\/customer$/i, '/v1/customer'],
    [/^\/v1\/customer\/[^/]+$/i, '/v1/customer/{number}'],
    [/^\/v1\/inventory$/i, '/v1/inventory'],
    [/^\/v1\/inventory\/[^/]+$/i, '/v1/inventory/{inventoryNumber}'],
    [/^\/v1\/branch$/i, '/v1/branch'],
    [/^\/v1\/branch\/[^/]+$/i, '/v1/branch/{number}'],
    [/^\/api\/v3\/SalesOrders$/i, '/api/v3/SalesOrders'],
    [/^\/api\/v3\/SalesOrders\/[^/]+\/[^/]+$/i, '/api/v3/SalesOrders/{type}/{orderId}'],
  ];
  const hit = rules.find(([re]) => re.test(p));
  return hit ? `${method} ${hit[1]}` : undefined;
}

const q = (req: Request, name: string): string | undefined => {
  const v = req.query[name];
  return typeof v === 'string' && v !== '' ? v : undefined;
};

function page<T>(req: Request, rows: T[]): Array<T & { metadata: { totalCount: number; maxPageSize: number } }> {
  const size = Math.min(MAX_PAGE_SIZE, Math.max(1, Number(q(req, 'pageSize') ?? MAX_PAGE_SIZE) || MAX_PAGE_SIZE));
  const number = Math.max(1, Number(q(req, 'pageNumber') ?? 1) || 1);
  return rows.slice((number - 1) * size, number * size).map((r) => ({ ...r, metadata: { totalCount: rows.length, maxPageSize: MAX_PAGE_SIZE } }));
}

function modifiedFilter(req: Request, rows: Json[]): Json[] {
  const since = q(req, 'lastModifiedDateTime');
  if (!since) return rows;
  const cond = q(req, 'lastModifiedDateTimeCondition') ?? '>';
  const t = Date.parse(since);
  if (Number.isNaN(t)) return rows;
  const cmp: Record<string, (a: number) => boolean> = { '>': (a) => a > t, '<': (a) => a < t, '>=': (a) => a >= t, '<=': (a) => a <= t };
  return rows.filter((r) => (cmp[cond] ?? cmp['>'])(Date.parse(String(r.lastModifiedDateTime))));
}

/** `customerRefNo eq 'X' and status eq 'Open'` → predicate; anything else is ignored (V3_FILTER_OPERATORS). */
function v3Filter(filter: string | undefined): (o: Json) => boolean {
  if (!filter) return () => true;
  const clause = new RegExp(`^\\s*([\\w/]+)\\s+(?:${V3_FILTER_OPERATORS.join('|')})\\s+'((?:[^']|'')*)'\\s*$`, 'i');
  const clauses = filter.split(/\s+and\s+/i).map((c) => clause.exec(c)).filter((m): m is RegExpExecArray => m !== null);
  return (o) =>
    clauses.every(([, field, raw]) => {
      const value = raw.replace(/''/g, "'");
      const actual = field.split('/').reduce<unknown>((acc, k) => (acc && typeof acc === 'object' ? (acc as Json)[k] : undefined), o);
      return actual !== undefined && String(actual) === value;
    });
}

const publicOrder = (o: Json): Json => {
  const { version: _v, ...rest } = o;
  return rest;
};

export function apiRouter(state: VismanetState): express.Router {
  const r = express.Router();
  const json = express.json({ limit: '5mb' });

  // --- Visma Connect token endpoint (§1.2) ---
  r.post('/connect/token', express.urlencoded({ extended: false }), (req, res) => {
    const body = (req.body ?? {}) as Record<string, string | undefined>;
    let clientId = body.client_id;
    let clientSecret = body.client_secret;
    const basic = /^Basic\s+(.+)$/i.exec(req.headers.authorization ?? '');
    if (basic) {
      const [id, secret] = Buffer.from(basic[1], 'base64').toString('utf8').split(':');
      clientId = decodeURIComponent(id ?? '');
      clientSecret = decodeURIComponent(secret ?? '');
    }
    if (body.grant_type !== 'client_credentials') return void res.status(400).json({ error: 'unsupported_grant_type' });
    const client = state.data.clients.find((c) => c.clientId === clientId);
    if (!client || client.clientSecret !== clientSecret) return void res.status(401).json({ error: 'invalid_client' });
    const tenantId = body.tenant_id;
    if (!tenantId) return void res.status(400).json({ error: 'invalid_request', error_description: 'tenant_id is required for client_credentials.' });
    if (!client.tenants.includes(tenantId) || !state.data.tenants.some((t) => t.id === tenantId)) {
      return void res.status(UNAPPROVED_TENANT.status).json({ error: UNAPPROVED_TENANT.error, error_description: UNAPPROVED_TENANT.description(tenantId) });
    }
    const scopes = (body.scope ?? '').split(/\s+/).filter(Boolean);
    const refused = scopes.filter((s) => !client.scopes.includes(s));
    if (refused.length) return void res.status(400).json({ error: SCOPE_NOT_APPROVED_ERROR, error_description: `Not approved: ${refused.join(' ')}` });
    const t = state.issueToken(client.clientId, tenantId, scopes.length ? scopes : client.scopes);
    res.set('cache-control', 'no-store').json({ access_token: t.token, token_type: 'Bearer', expires_in: state.tokenSeconds, scope: t.scopes.join(' ') });
  });

  // --- token, scope and rate limit on every API call ---
  const guard = (service: 'erp' | 'salesorder') => (req: Authed, res: Response, next: NextFunction) => {
    const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const t = bearer ? state.validToken(bearer) : undefined;
    const tenant = t && state.data.tenants.find((x) => x.id === t.tenantId);
    if (!t || !tenant) {
      res.set('www-authenticate', 'Bearer error="invalid_token"');
      return sendError(res, 401, 'Authorization has been denied for this request.');
    }
    if (tenant.kind !== 'company') return sendError(res, CUSTOMER_TENANT_API_STATUS, `Authorization has been denied for this request: tenant '${tenant.id}' is not a company tenant.`);
    const scope = requiredScope(service, req.method);
    if (!t.scopes.includes(scope)) return sendError(res, MISSING_SCOPE_STATUS, `The token does not have the scope '${scope}'.`);
    const rate = state.takeRate(`${t.tenantId}|${t.clientId}|${service}`);
    res.set({ 'x-ratelimit-limit': String(rate.limit), 'x-ratelimit-remaining': String(rate.remaining), 'x-ratelimit-reset': String(rate.resetSeconds), 'x-ratelimit-policy': RATE_LIMIT_POLICY });
    if (rate.refused) {
      res.set('retry-after', String(rate.resetSeconds));
      return sendError(res, 429, `Rate limit is exceeded. Try again in ${rate.resetSeconds} seconds.`);
    }
    req.vc = t;
    next();
  };
  const tenantOf = (req: Request) => (req as Authed).vc!.tenantId;
  const handle = (fn: (req: Request, res: Response) => void) => (req: Request, res: Response) => {
    try {
      fn(req, res);
    } catch (err) {
      if (err instanceof SimError) return sendError(res, err.status, err.message);
      throw err;
    }
  };
  const base = (req: Request) => `${req.protocol}://${req.get('host') ?? 'localhost'}`;
  const param = (req: Request, name: string) => String(req.params[name]);

  r.use('/v1', guard('erp'));
  r.use('/api/v3', guard('salesorder'));

  // --- customers (§3.5) ---
  r.get('/v1/customer', handle((req, res) => {
    let rows = state.company(tenantOf(req)).customers;
    const email = q(req, 'email');
    const name = q(req, 'name');
    if (email) rows = rows.filter((c) => customerEmailMatches((c.mainContact as Json | undefined)?.email as string | undefined, email));
    if (name) rows = rows.filter((c) => customerNameMatches(String(c.name), name));
    for (const f of ['status', 'corporateId', 'vatRegistrationId'] as const) {
      const v = q(req, f);
      if (v) rows = rows.filter((c) => String(c[f] ?? '') === v);
    }
    res.json(page(req, modifiedFilter(req, rows)));
  }));
  r.get('/v1/customer/:number', handle((req, res) => {
    const c = state.customer(tenantOf(req), param(req, 'number'));
    if (!c) throw new SimError(404, notFoundText(vismaId(), 'Customer', param(req, 'number')));
    res.json(c);
  }));
  r.post('/v1/customer', json, handle((req, res) => {
    const number = state.createCustomer(tenantOf(req), req.body);
    state.count('POST /v1/customer', true);
    res.status(201).set('location', `${base(req)}/v1/customer/${encodeURIComponent(number)}`).end();
  }));
  r.put('/v1/customer/:number', json, handle((req, res) => {
    state.updateCustomer(tenantOf(req), param(req, 'number'), req.body);
    state.count('PUT /v1/customer/{number}', true);
    res.status(204).end();
  }));

  // --- inventory (§3.5) ---
  r.get('/v1/inventory', handle((req, res) => {
    let rows = state.company(tenantOf(req)).inventory;
    const nr = q(req, 'inventoryNumber');
    if (nr) rows = rows.filter((i) => i.inventoryNumber === nr);
    for (const f of ['status', 'description'] as const) {
      const v = q(req, f);
      if (v) rows = rows.filter((i) => String(i[f] ?? '') === v);
    }
    res.json(page(req, modifiedFilter(req, rows)));
  }));
  r.get('/v1/inventory/:nr', handle((req, res) => {
    const i = state.inventoryItem(tenantOf(req), param(req, 'nr'));
    if (!i) throw new SimError(404, notFoundText(vismaId(), 'Inventory item', param(req, 'nr')));
    res.json(i);
  }));
  r.post('/v1/inventory', json, handle((req, res) => {
    const nr = state.createInventory(tenantOf(req), req.body);
    state.count('POST /v1/inventory', true);
    res.status(201).set('location', `${base(req)}/v1/inventory/${encodeURIComponent(nr)}`).end();
  }));
  r.put('/v1/inventory/:nr', json, handle((req, res) => {
    state.updateInventory(tenantOf(req), param(req, 'nr'), req.body);
    state.count('PUT /v1/inventory/{inventoryNumber}', true);
    res.status(204).end();
  }));

  // --- branches (§3.5) ---
  r.get('/v1/branch', handle((req, res) => res.json(page(req, state.company(tenantOf(req)).branches))));
  r.get('/v1/branch/:nr', handle((req, res) => {
    const b = state.company(tenantOf(req)).branches.find((x) => x.number === param(req, 'nr'));
    if (!b) throw new SimError(404, notFoundText(vismaId(), 'Branch', param(req, 'nr')));
    res.json(b);
  }));

  // --- sales orders v3 (§3.5) ---
  r.get('/api/v3/SalesOrders', handle((req, res) => {
    const pred = v3Filter(q(req, '$filter'));
    const customerId = q(req, 'customerId');
    const since = q(req, 'modifiedSince');
    let rows = state.company(tenantOf(req)).salesOrders.filter(pred);
    if (customerId) rows = rows.filter((o) => (o.customer as Json).id === customerId);
    if (since && !Number.isNaN(Date.parse(since))) rows = rows.filter((o) => Date.parse(String(o.lastModifiedDateTime)) >= Date.parse(since));
    const top = Number(q(req, '$top'));
    if (Number.isInteger(top) && top > 0) rows = rows.slice(0, top);
    const size = Math.min(MAX_PAGE_SIZE, Math.max(1, Number(q(req, 'pageSize') ?? V3_DEFAULT_PAGE_SIZE) || V3_DEFAULT_PAGE_SIZE));
    const index = Math.max(1, Number(q(req, 'pageIndex') ?? 1) || 1);
    const value = rows.slice((index - 1) * size, index * size).map(publicOrder);
    let nextPage: string | null = null;
    if (index * size < rows.length) {
      const u = new URL(`${base(req)}${req.originalUrl}`);
      u.searchParams.set('pageIndex', String(index + 1));
      u.searchParams.set('pageSize', String(size));
      nextPage = u.toString();
    }
    res.json({ value, nextPage });
  }));
  r.post('/api/v3/SalesOrders', json, handle((req, res) => {
    const o = state.createSalesOrder(tenantOf(req), req.body);
    state.count('POST /api/v3/SalesOrders', true);
    res.status(201).set({ location: `${base(req)}/api/v3/SalesOrders/${encodeURIComponent(String(o.type))}/${String(o.orderId)}`, etag: VismanetState.etag(o) }).end();
  }));
  r.get('/api/v3/SalesOrders/:type/:id', handle((req, res) => {
    const o = state.salesOrder(tenantOf(req), param(req, 'type'), param(req, 'id'));
    if (!o) throw new SimError(404, notFoundText(vismaId(), 'Sales order', `${param(req, 'type')}/${param(req, 'id')}`));
    res.set('etag', VismanetState.etag(o)).json(publicOrder(o));
  }));
  r.patch('/api/v3/SalesOrders/:type/:id', json, handle((req, res) => {
    const o = state.patchSalesOrder(tenantOf(req), param(req, 'type'), param(req, 'id'), req.get('if-match') ?? undefined, req.body, { missing: MISSING_IF_MATCH_STATUS, stale: STALE_ETAG_STATUS });
    state.count('PATCH /api/v3/SalesOrders/{type}/{orderId}', true);
    res.set('etag', VismanetState.etag(o)).json(publicOrder(o));
  }));
  return r;
}

/**
 * Visma.net ERP connector (contract §1.2, §3): a Visma Connect client-credentials token per
 * (clientId, tenantId), cached per process until shortly before expiry and fetched single-flight;
 * `{value}`-wrapped v1 write DTOs, ids from the Location header of a 201; SalesOrders v3 with ETag /
 * If-Match; typed VismanetErrors. A 429 is thrown as `rateLimited` with `retryAfterSeconds`: the
 * caller decides whether to wait. A 401 drops the cached token and tries once more with a new one.
 */
import { createHash } from 'node:crypto';
import type { ZodType, ZodTypeDef } from 'zod';
import { awaitCallSlot } from '../../../platform/call-budget';
import { VISMANET_REAL_API, VISMANET_REAL_IDENTITY, VISMANET_REAL_SALESORDER, vismanetSystem, type VismanetCredentials } from '../system';
import { isVismanetError, mapApiError, SCOPE_REFUSED, TENANT_REFUSED, TOKEN_REFUSED, transient, VismanetError } from './errors';
import {
  branchSchema,
  customerSchema,
  errorBodySchema,
  inventorySchema,
  salesOrderListSchema,
  salesOrderSchema,
  tokenErrorSchema,
  tokenResponseSchema,
  type VismanetBranch,
  type VismanetCustomer,
  type VismanetCustomerInput,
  type VismanetInventoryInput,
  type VismanetInventoryItem,
  type VismanetSalesOrder,
  type VismanetSalesOrderInput,
} from './schemas';

export type { VismanetCredentials };

/** Contract §1.2: the service scopes (v1 read/create/update) and the SalesOrders v3 ones. */
export const VISMANET_SCOPES = ['vismanet_erp_service_api:read', 'vismanet_erp_service_api:create', 'vismanet_erp_service_api:update', 'visma.net.erp.salesorder:read', 'visma.net.erp.salesorder:write'];

/** A cached token is renewed this long before it expires. */
export const TOKEN_RENEW_MARGIN_MS = 60_000;
const PAGE_SIZE = 1000;

/** Screen names in "'<Field>' cannot be empty" → the DTO fields the caller sent (§3.3). */
const CUSTOMER_LABELS = { 'Customer ID': 'number', 'Customer Name': 'name' };
const INVENTORY_LABELS = { 'Inventory ID': 'inventoryNumber', Description: 'description' };
const ORDER_LABELS = { 'Order Type': 'type', Customer: 'customer.id', Branch: 'branchId', 'Order Lines': 'orderLines', 'Inventory ID': 'orderLines.inventoryId', Quantity: 'orderLines.quantity' };

export interface VismanetClientOptions {
  /** ERP API root, e.g. https://api.finance.visma.net or the simulator's URL (a trailing /v1 is dropped). */
  baseUrl: string;
  /** Visma Connect root; default connect.visma.com against the real API, else the base URL's host. */
  identityUrl?: string;
  /** SalesOrders API v3 root; default salesorder.visma.net against the real API, else the base URL's host. */
  salesOrderUrl?: string;
  credentials: VismanetCredentials;
  signal?: AbortSignal;
  timeoutMs?: number;
  fetchImpl?: typeof fetch;
  /** Pace requests by the system's rate budget (src/platform/call-budget.ts); default true. */
  pace?: boolean;
  /** Called for every request (benchmarks count calls and API time). */
  onCall?: (endpoint: string, ms: number, status: number) => void;
}

export interface VismanetClient {
  findCustomersByEmail(email: string): Promise<VismanetCustomer[]>;
  getCustomer(number: string): Promise<VismanetCustomer | undefined>;
  createCustomer(input: VismanetCustomerInput): Promise<{ number: string }>;
  updateCustomer(number: string, input: VismanetCustomerInput): Promise<void>;
  getInventoryItem(inventoryNumber: string): Promise<VismanetInventoryItem | undefined>;
  createInventoryItem(input: VismanetInventoryInput): Promise<{ inventoryNumber: string }>;
  updateInventoryItem(inventoryNumber: string, input: VismanetInventoryInput): Promise<void>;
  listBranches(): Promise<VismanetBranch[]>;
  createSalesOrder(input: VismanetSalesOrderInput): Promise<{ id: string; type: string }>;
  getSalesOrder(id: string, type?: string): Promise<{ order: VismanetSalesOrder; etag: string } | undefined>;
  /** Orders whose customerRefNo is `ref` (the koppeling's external reference; the ledger's uncertain-outcome lookup). */
  findSalesOrdersByReference(ref: string): Promise<VismanetSalesOrder[]>;
  /** Moves the order from Hold to Open: GET for the ETag, PATCH with If-Match, once more on 412. Already Open: no write. */
  confirmSalesOrder(id: string, type?: string): Promise<VismanetSalesOrder>;
}

/** Plain input → `{value}` DTO (§3.2): scalars and nested objects wrapped, arrays of objects (lines) kept as arrays. */
export function wrapDto(input: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(input)) {
    if (v === undefined) continue;
    if (Array.isArray(v)) out[k] = v.map((x) => (typeof x === 'object' && x !== null ? wrapDto(x as Record<string, unknown>) : { value: x }));
    else if (typeof v === 'object' && v !== null) out[k] = { value: wrapDto(v as Record<string, unknown>) };
    else out[k] = { value: v };
  }
  return out;
}

// --- token cache: per process, per (identity, clientId, tenantId) -----------------------------

const tokens = new Map<string, { token: string; expiresAt: number }>();
const pending = new Map<string, Promise<string>>();

/** Tests: forget every cached token. */
export function clearVismanetTokenCache(): void {
  tokens.clear();
  pending.clear();
}

const strip = (u: string) => u.replace(/\/+$/, '');

export function createVismanetClient(opts: VismanetClientOptions): VismanetClient {
  const base = strip(opts.baseUrl).replace(/\/v1$/i, '');
  const real = base === VISMANET_REAL_API;
  const identity = strip(opts.identityUrl ?? (real ? VISMANET_REAL_IDENTITY : base));
  const salesBase = strip(opts.salesOrderUrl ?? (real ? VISMANET_REAL_SALESORDER : base));
  const fetchImpl = opts.fetchImpl ?? fetch;
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const { clientId, clientSecret, tenantId } = opts.credentials;
  // The secret takes part as a short hash: a corrected secret gets its own token, and no map key shows it.
  const cacheKey = `${identity}|${clientId}|${tenantId}|${createHash('sha256').update(clientSecret).digest('hex').slice(0, 16)}`;
  const account = `${clientId}|${tenantId}`;

  const signal = () => (opts.signal ? AbortSignal.any([opts.signal, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs));

  async function send(url: string, init: RequestInit, what: string): Promise<Response> {
    const started = Date.now();
    try {
      const res = await fetchImpl(url, { ...init, signal: signal() });
      opts.onCall?.(`${init.method ?? 'GET'} ${new URL(url).pathname}`, Date.now() - started, res.status);
      return res;
    } catch (err) {
      if (opts.signal?.aborted) throw err;
      const name = typeof err === 'object' && err !== null ? (err as { name?: unknown }).name : undefined;
      throw transient(name === 'TimeoutError' ? `Visma.net ${what}: no answer within ${timeoutMs} ms` : `Visma.net ${what}: request failed (${err instanceof Error ? err.message : String(err)})`);
    }
  }

  async function fetchToken(): Promise<string> {
    const body = new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret, scope: VISMANET_SCOPES.join(' '), tenant_id: tenantId });
    const res = await send(`${identity}/connect/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }, body }, 'token');
    const text = await res.text().catch(() => '');
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    if (res.ok) {
      const t = tokenResponseSchema.safeParse(json);
      if (!t.success) throw transient('Visma Connect token: unexpected answer shape');
      tokens.set(cacheKey, { token: t.data.access_token, expiresAt: Date.now() + t.data.expires_in * 1000 });
      return t.data.access_token;
    }
    if (res.status >= 500 || res.status === 429) throw mapApiError(res.status, text, res.headers, 'het ophalen van een token');
    // The error text names no secret: only the OAuth2 error code and Visma's description.
    const e = tokenErrorSchema.safeParse(json);
    const message = `Visma Connect token: HTTP ${res.status} ${e.success ? `${e.data.error}${e.data.error_description ? `: ${e.data.error_description}` : ''}` : ''}`;
    const fix = e.success && e.data.error === 'invalid_scope' ? SCOPE_REFUSED : e.success && (e.data.error === 'invalid_grant' || e.data.error === 'invalid_request') ? TENANT_REFUSED : TOKEN_REFUSED;
    throw new VismanetError({ kind: 'auth', type: fix === SCOPE_REFUSED ? 'PermissionDenied' : 'ReauthRequired', status: res.status, message, ...fix, code: e.success ? e.data.error : undefined });
  }

  /** A valid token: the cached one, or one fetch shared by every caller waiting for it. */
  async function token(): Promise<string> {
    const cached = tokens.get(cacheKey);
    if (cached && cached.expiresAt - TOKEN_RENEW_MARGIN_MS > Date.now()) return cached.token;
    let p = pending.get(cacheKey);
    if (!p) {
      p = fetchToken().finally(() => pending.delete(cacheKey));
      pending.set(cacheKey, p);
    }
    return p;
  }

  function refused(t: string): void {
    if (tokens.get(cacheKey)?.token === t) tokens.delete(cacheKey);
  }

  interface Answer {
    status: number;
    text: string;
    headers: Headers;
  }

  /** One API call with the token; a 401 gets one more try with a fresh token. Non-2xx → VismanetError. */
  async function call(method: string, url: string, what: string, opts2: { body?: unknown; headers?: Record<string, string>; labels?: Record<string, string>; allow?: number[] } = {}): Promise<Answer> {
    for (let attempt = 0; ; attempt++) {
      const t = await token();
      if (opts.pace !== false) await awaitCallSlot(vismanetSystem, account);
      const res = await send(url, {
        method,
        headers: { authorization: `Bearer ${t}`, accept: 'application/json', ...(opts2.body === undefined ? {} : { 'content-type': 'application/json' }), ...opts2.headers },
        body: opts2.body === undefined ? undefined : JSON.stringify(opts2.body),
      }, what);
      const text = await res.text().catch(() => '');
      if (res.status === 401 && attempt === 0) {
        refused(t);
        continue;
      }
      if (res.ok || opts2.allow?.includes(res.status)) return { status: res.status, text, headers: res.headers };
      const body = errorBodySchema.safeParse(safeJson(text));
      throw mapApiError(res.status, body.success ? body.data.message : text, res.headers, what, opts2.labels);
    }
  }

  function parse<T>(a: Answer, schema: ZodType<T, ZodTypeDef, unknown>, what: string): T {
    const parsed = schema.safeParse(safeJson(a.text));
    if (!parsed.success) {
      const where = parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
      throw transient(`Visma.net ${what}: unexpected answer shape (${where})`);
    }
    return parsed.data;
  }

  /** The id from a 201's Location header: the last `segments` path segments. */
  function location(a: Answer, what: string, segments = 1): string[] {
    const loc = a.headers.get('location');
    if (!loc) throw transient(`Visma.net ${what}: 201 without a Location header`);
    const parts = new URL(loc, base).pathname.split('/').filter(Boolean).slice(-segments).map(decodeURIComponent);
    if (parts.length < segments) throw transient(`Visma.net ${what}: unexpected Location ${loc}`);
    return parts;
  }

  /** Every page of a v1 list (plain array, per-item metadata with totalCount). */
  async function list<T>(path: string, query: Record<string, string>, item: ZodType<T, ZodTypeDef, unknown>, what: string): Promise<T[]> {
    const out: T[] = [];
    const schema = item.array();
    for (let page = 1; ; page++) {
      const q = new URLSearchParams({ ...query, pageNumber: String(page), pageSize: String(PAGE_SIZE) });
      const rows = parse(await call('GET', `${base}${path}?${q.toString()}`, what), schema, what);
      out.push(...rows);
      // The server caps pageSize at its maxPageSize: a short page is the last only below that cap.
      const meta = (rows[0] as { metadata?: { totalCount?: number; maxPageSize?: number } } | undefined)?.metadata;
      const size = Math.min(PAGE_SIZE, meta?.maxPageSize ?? PAGE_SIZE);
      if (rows.length === 0 || (meta?.totalCount !== undefined ? out.length >= meta.totalCount : rows.length < size)) return out;
    }
  }

  /** nextPage on our own SalesOrders root (its path and query): the token never goes to a host an answer names. */
  function sameHost(next: string): string {
    const u = new URL(next, salesBase);
    return `${salesBase}${u.pathname.replace(/^.*?(\/api\/v3\/)/i, '$1')}${u.search}`;
  }

  async function getSalesOrder(id: string, type = 'SO'): Promise<{ order: VismanetSalesOrder; etag: string } | undefined> {
    const what = `verkooporder ${type}/${id} ophalen`;
    const a = await call('GET', `${salesBase}/api/v3/SalesOrders/${encodeURIComponent(type)}/${encodeURIComponent(id)}`, what, { allow: [404] });
    if (a.status === 404) return undefined;
    return { order: parse(a, salesOrderSchema, what), etag: a.headers.get('etag') ?? '' };
  }

  return {
    async findCustomersByEmail(email) {
      const rows = await list('/v1/customer', { email }, customerSchema, 'klanten zoeken op e-mailadres');
      // Unknown query parameters are ignored silently (§3.2): never trust the filter alone.
      const want = email.trim().toLowerCase();
      return rows.filter((c) => (c.mainContact?.email ?? '').trim().toLowerCase() === want);
    },
    async getCustomer(number) {
      const what = `klant ${number} ophalen`;
      const a = await call('GET', `${base}/v1/customer/${encodeURIComponent(number)}`, what, { allow: [404] });
      return a.status === 404 ? undefined : parse(a, customerSchema, what);
    },
    async createCustomer(input) {
      const what = 'de klant aanmaken';
      const a = await call('POST', `${base}/v1/customer`, what, { body: wrapDto(input), labels: CUSTOMER_LABELS });
      return { number: location(a, what)[0] };
    },
    async updateCustomer(number, input) {
      const { number: _n, overrideNumberSeries: _o, ...rest } = input;
      await call('PUT', `${base}/v1/customer/${encodeURIComponent(number)}`, `klant ${number} bijwerken`, { body: wrapDto(rest), labels: CUSTOMER_LABELS });
    },
    async getInventoryItem(inventoryNumber) {
      const what = `artikel ${inventoryNumber} ophalen`;
      const a = await call('GET', `${base}/v1/inventory/${encodeURIComponent(inventoryNumber)}`, what, { allow: [404] });
      return a.status === 404 ? undefined : parse(a, inventorySchema, what);
    },
    async createInventoryItem(input) {
      const what = 'het artikel aanmaken';
      const a = await call('POST', `${base}/v1/inventory`, what, { body: wrapDto(input), labels: INVENTORY_LABELS });
      return { inventoryNumber: location(a, what)[0] };
    },
    async updateInventoryItem(inventoryNumber, input) {
      const { inventoryNumber: _n, ...rest } = input;
      await call('PUT', `${base}/v1/inventory/${encodeURIComponent(inventoryNumber)}`, `artikel ${inventoryNumber} bijwerken`, { body: wrapDto(rest), labels: INVENTORY_LABELS });
    },
    listBranches: () => list('/v1/branch', {}, branchSchema, 'vestigingen ophalen'),
    async createSalesOrder(input) {
      const what = 'de verkooporder aanmaken';
      const a = await call('POST', `${salesBase}/api/v3/SalesOrders`, what, { body: { type: 'SO', ...input }, labels: ORDER_LABELS });
      const [type, id] = location(a, what, 2);
      return { id, type };
    },
    getSalesOrder,
    async findSalesOrdersByReference(ref) {
      const what = 'verkooporders zoeken op referentie';
      const out: VismanetSalesOrder[] = [];
      const q = new URLSearchParams({ $filter: `customerRefNo eq '${ref.replace(/'/g, "''")}'`, pageSize: '100', pageIndex: '1' });
      let url: string | undefined = `${salesBase}/api/v3/SalesOrders?${q.toString()}`;
      for (let pages = 0; url && pages < 1000; pages++) {
        const page: { value: VismanetSalesOrder[]; nextPage?: string | null } = parse(await call('GET', url, what), salesOrderListSchema, what);
        out.push(...page.value);
        url = page.nextPage ? sameHost(page.nextPage) : undefined;
      }
      return out.filter((o) => o.customerRefNo === ref);
    },
    async confirmSalesOrder(id, type = 'SO') {
      const what = `verkooporder ${type}/${id} bevestigen`;
      for (let attempt = 0; ; attempt++) {
        const cur = await getSalesOrder(id, type);
        if (!cur) throw mapApiError(404, `Sales order ${type}/${id} not found.`, new Headers(), what);
        if (cur.order.status === 'Open') return cur.order;
        try {
          const a = await call('PATCH', `${salesBase}/api/v3/SalesOrders/${encodeURIComponent(type)}/${encodeURIComponent(id)}`, what, { body: { status: 'Open' }, headers: { 'if-match': cur.etag }, labels: ORDER_LABELS });
          return parse(a, salesOrderSchema, what);
        } catch (err) {
          // Changed between our GET and PATCH: read the new ETag and try once more.
          if (attempt === 0 && isVismanetError(err) && err.status === 412) continue;
          throw err;
        }
      }
    },
  };
}

function safeJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

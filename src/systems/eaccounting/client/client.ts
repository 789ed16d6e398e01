/**
 * eAccounting API v2 connector (contract §2): Bearer token from a provider (the platform's token
 * service), zod-checked answers, paging through Meta, typed errors. A 401/4005 asks the provider
 * for a fresh token once (it refreshes single-flight) and repeats the call once.
 */
import type { ZodType, ZodTypeDef } from 'zod';
import { isKoppelError, transientError } from '../../../domain/errors';
import { EACCOUNTING } from '../identity';
import { mapError } from './errors';
import {
  articleSchema,
  customerSchema,
  orderSchema,
  termsOfPaymentSchema,
  unitSchema,
  type Article,
  type Customer,
  type Order,
  type TermsOfPayment,
  type Unit,
  accountSchema,
  companySettingsSchema,
  errorBodySchema,
  fiscalYearSchema,
  messageBodySchema,
  pageOf,
  voucherInputSchema,
  voucherSchema,
  type Account,
  type CompanySettings,
  type FiscalYear,
  type Voucher,
  type VoucherInput,
} from './schemas';

export interface TokenProvider {
  /** A valid access token (refreshed ahead of expiry by the platform). */
  get(): Promise<string>;
  /** The API refused `token` (401/4005): make the next get() return a fresh one. */
  refused(token: string): Promise<void>;
}

export interface EaccountingClientOptions {
  baseUrl: string;
  token: TokenProvider;
  timeoutMs?: number;
  fetchImpl?: typeof fetch;
  /** Per endpoint and minute, in this process (default 600, contract §2.3). */
  requestsPerMinute?: number;
  /** Called for every request (benchmarks count calls and time). */
  onCall?: (endpoint: string, ms: number, status: number) => void;
  /** `$pagesize` of list calls (1–1000, default 1000: fewest calls). */
  pageSize?: number;
}

/** Filters of the sales lists; a date-time is ISO 8601 (UTC), compared as `gt` (strictly after). */
export interface ArticleListOptions {
  changedSince?: string;
  number?: string;
}
export interface CustomerListOptions {
  changedSince?: string;
  email?: string;
  number?: string;
}
export interface OrderListOptions {
  /** Order Status values (1 Draft, 2 Ongoing, 3 Shipped, 4 Invoiced); none = all. */
  statuses?: number[];
  modifiedSince?: string;
  number?: number;
}

export interface EaccountingClient {
  companySettings(): Promise<CompanySettings>;
  fiscalYears(): Promise<FiscalYear[]>;
  createFiscalYear(input: { StartDate: string; EndDate: string }): Promise<FiscalYear>;
  accounts(fiscalYearId: string): Promise<Account[]>;
  /** Vouchers of a fiscal year, optionally on one date ($filter). */
  vouchers(fiscalYearId: string, opts?: { date?: string }): Promise<Voucher[]>;
  createVoucher(input: VoucherInput): Promise<Voucher>;
  // Sales (issue 11): scope ea:sales or ea:sales_readonly; orders also need the sales_standard module.
  listArticles(opts?: ArticleListOptions): Promise<Article[]>;
  /** undefined when eAccounting has no such article (404). */
  getArticle(id: string): Promise<Article | undefined>;
  listCustomers(opts?: CustomerListOptions): Promise<Customer[]>;
  getCustomer(id: string): Promise<Customer | undefined>;
  /** Orders in the given statuses, sorted by Number. */
  listOrders(opts?: OrderListOptions): Promise<Order[]>;
  getOrder(id: string): Promise<Order | undefined>;
  listTermsOfPayment(): Promise<TermsOfPayment[]>;
  listUnits(): Promise<Unit[]>;
}

/** OData string literal: quotes doubled. */
const lit = (v: string) => `'${v.replace(/'/g, "''")}'`;
/**
 * A date-time in `$filter`. INFERRED (contract §6 Q4): the quoted ISO form; the simulator also
 * takes `datetime'…'` and the bare form, so this is the one place to change if Visma wants another.
 */
const dateLit = (v: string) => lit(new Date(v).toISOString());
const filterOf = (clauses: Array<string | undefined>): Record<string, string> => {
  const c = clauses.filter((x): x is string => x !== undefined);
  return c.length ? { $filter: c.join(' and ') } : {};
};

const PAGE_SIZE = 1000;

/** Contract §2.3: 600 requests per minute per client and endpoint. */
export const REQUESTS_PER_MINUTE = 600;

/**
 * Per endpoint, the start times of this process's requests in the last minute: a request that
 * would be the 601st waits until the oldest is a minute old. One client id per deployment, so
 * one window per process; several worker processes share Visma's quota without coordinating
 * (a 429 then makes them wait the stated seconds).
 */
const windows = new Map<string, number[]>();

export async function takeSlot(endpoint: string, limit = REQUESTS_PER_MINUTE, now: () => number = Date.now, sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))): Promise<void> {
  for (;;) {
    const t = now();
    const w = (windows.get(endpoint) ?? []).filter((x) => x > t - 60_000);
    if (w.length < limit) {
      w.push(t);
      windows.set(endpoint, w);
      return;
    }
    windows.set(endpoint, w);
    await sleep(w[0] + 60_000 - t + 1);
  }
}

export function createEaccountingClient(opts: EaccountingClientOptions): EaccountingClient {
  const base = opts.baseUrl.replace(/\/+$/, '').replace(/\/v2$/, '');
  const fetchImpl = opts.fetchImpl ?? fetch;
  const timeoutMs = opts.timeoutMs ?? 30_000;

  async function once(method: 'GET' | 'POST', path: string, token: string, body?: unknown): Promise<{ status: number; json: unknown; text: string; retryAfter: string | null }> {
    await takeSlot(`${method} ${path.split('?')[0].replace(/\/[0-9a-f-]{36}/gi, '/{id}')}`, opts.requestsPerMinute);
    const started = Date.now();
    let res: Response;
    try {
      res = await fetchImpl(`${base}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      const name = typeof err === 'object' && err !== null ? (err as { name?: unknown }).name : undefined;
      throw transientError(EACCOUNTING, name === 'TimeoutError' ? `eAccounting ${method} ${path}: no answer within ${timeoutMs} ms` : `eAccounting ${method} ${path}: request failed (${err instanceof Error ? err.message : String(err)})`);
    }
    const text = await res.text().catch(() => '');
    opts.onCall?.(`${method} ${path.split('?')[0]}`, Date.now() - started, res.status);
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: res.status, json, text, retryAfter: res.headers.get('retry-after') };
  }

  async function call<T>(method: 'GET' | 'POST', path: string, schema: ZodType<T, ZodTypeDef, unknown>, body?: unknown): Promise<T> {
    return (await request(method, path, schema, body, false)) as T;
  }

  /** GET by id: undefined when the record does not exist (404), every other error as call(). */
  async function find<T>(path: string, schema: ZodType<T, ZodTypeDef, unknown>): Promise<T | undefined> {
    return request('GET', path, schema, undefined, true);
  }

  async function request<T>(method: 'GET' | 'POST', path: string, schema: ZodType<T, ZodTypeDef, unknown>, body: unknown, absentOn404: boolean): Promise<T | undefined> {
    let token = await opts.token.get();
    let r = await once(method, path, token, body);
    if (r.status === 401) {
      // Expired or revoked early: one fresh token (single-flight refresh), one more try.
      await opts.token.refused(token);
      token = await opts.token.get();
      r = await once(method, path, token, body);
    }
    if (absentOn404 && r.status === 404) return undefined;
    if (r.status < 200 || r.status >= 300) {
      const e = errorBodySchema.safeParse(r.json);
      const m = messageBodySchema.safeParse(r.json);
      throw mapError(
        e.success
          ? { status: r.status, code: e.data.ErrorCode, message: e.data.DeveloperErrorMessage ?? '', errors: e.data.Errors ?? [] }
          : { status: r.status, message: m.success ? m.data.message : `HTTP ${r.status} ${r.text.slice(0, 200)}` },
        r.retryAfter,
      );
    }
    const parsed = schema.safeParse(r.json);
    if (!parsed.success) {
      const where = parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
      throw transientError(EACCOUNTING, `eAccounting ${method} ${path}: unexpected answer shape (${where})`);
    }
    return parsed.data;
  }

  async function all<T>(path: string, item: ZodType<T, ZodTypeDef, unknown>, query: Record<string, string> = {}): Promise<T[]> {
    const out: T[] = [];
    const schema = pageOf(item as unknown as ZodType<T>) as unknown as ZodType<{ Meta: { TotalNumberOfPages: number }; Data: T[] }, ZodTypeDef, unknown>;
    for (let page = 1; ; page++) {
      const q = new URLSearchParams({ ...query, $page: String(page), $pagesize: String(opts.pageSize ?? PAGE_SIZE) });
      const res = await call('GET', `${path}?${q.toString()}`, schema);
      out.push(...res.Data);
      if (page >= res.Meta.TotalNumberOfPages || res.Data.length === 0) return out;
    }
  }

  return {
    companySettings: () => call('GET', '/v2/companysettings', companySettingsSchema),
    fiscalYears: () => all('/v2/fiscalyears', fiscalYearSchema),
    createFiscalYear: (input) => call('POST', '/v2/fiscalyears', fiscalYearSchema, input),
    accounts: (fy) => all(`/v2/accounts/${encodeURIComponent(fy)}`, accountSchema),
    vouchers: (fy, o = {}) => all(`/v2/vouchers/${encodeURIComponent(fy)}`, voucherSchema, o.date ? { $filter: `VoucherDate eq '${o.date}'` } : {}),
    async createVoucher(input) {
      const body = voucherInputSchema.parse(input);
      try {
        return await call('POST', '/v2/vouchers?useAutomaticVatCalculation=false&useDefaultVatCodes=true&useDefaultVoucherSeries=true', voucherSchema, body);
      } catch (err) {
        if (isKoppelError(err)) throw err;
        throw transientError(EACCOUNTING, `eAccounting POST /v2/vouchers: ${err instanceof Error ? err.message : String(err)}`);
      }
    },
    listArticles: (o = {}) => all('/v2/articles', articleSchema, filterOf([o.number === undefined ? undefined : `Number eq ${lit(o.number)}`, o.changedSince ? `ChangedUtc gt ${dateLit(o.changedSince)}` : undefined])),
    getArticle: (id) => find(`/v2/articles/${encodeURIComponent(id)}`, articleSchema),
    listCustomers: (o = {}) =>
      all(
        '/v2/customers',
        customerSchema,
        filterOf([
          o.email === undefined ? undefined : `EmailAddress eq ${lit(o.email)}`,
          o.number === undefined ? undefined : `CustomerNumber eq ${lit(o.number)}`,
          o.changedSince ? `ChangedUtc gt ${dateLit(o.changedSince)}` : undefined,
        ]),
      ),
    getCustomer: (id) => find(`/v2/customers/${encodeURIComponent(id)}`, customerSchema),
    async listOrders(o = {}) {
      const common = [o.number === undefined ? undefined : `Number eq ${o.number}`, o.modifiedSince ? `ModifiedUtc gt ${dateLit(o.modifiedSince)}` : undefined];
      // One query per status: `eq … and …` is the filter form the contract confirms (§2.1); `or` is not.
      const statuses = o.statuses === undefined ? [undefined] : [...new Set(o.statuses)];
      const out = new Map<string, Order>();
      for (const st of statuses) for (const order of await all('/v2/orders', orderSchema, filterOf([st === undefined ? undefined : `Status eq ${st}`, ...common]))) out.set(order.Id, order);
      return [...out.values()].sort((a, b) => a.Number - b.Number);
    },
    getOrder: (id) => find(`/v2/orders/${encodeURIComponent(id)}`, orderSchema),
    listTermsOfPayment: () => all('/v2/termsofpayments', termsOfPaymentSchema),
    listUnits: () => all('/v2/units', unitSchema),
  };
}

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
}

export interface EaccountingClient {
  companySettings(): Promise<CompanySettings>;
  fiscalYears(): Promise<FiscalYear[]>;
  createFiscalYear(input: { StartDate: string; EndDate: string }): Promise<FiscalYear>;
  accounts(fiscalYearId: string): Promise<Account[]>;
  /** Vouchers of a fiscal year, optionally on one date ($filter). */
  vouchers(fiscalYearId: string, opts?: { date?: string }): Promise<Voucher[]>;
  createVoucher(input: VoucherInput): Promise<Voucher>;
}

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
    let token = await opts.token.get();
    let r = await once(method, path, token, body);
    if (r.status === 401) {
      // Expired or revoked early: one fresh token (single-flight refresh), one more try.
      await opts.token.refused(token);
      token = await opts.token.get();
      r = await once(method, path, token, body);
    }
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
      const q = new URLSearchParams({ ...query, $page: String(page), $pagesize: String(PAGE_SIZE) });
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
  };
}

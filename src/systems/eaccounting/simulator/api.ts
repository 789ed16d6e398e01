/**
 * eAccounting API v2 (contract §2): Bearer tokens from the identity server, the 600/min quota per
 * client and endpoint, the api_standard module, Meta/Data lists with $page/$pagesize/$filter,
 * PascalCase bodies, and the error envelope {ErrorCode, DeveloperErrorMessage, ErrorId, Errors}.
 */
import { randomUUID } from 'node:crypto';
import express, { type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import {
  BLOCKED_ACCOUNT_CODE,
  FISCAL_YEAR_NOT_FOUND_TEXT,
  LEDGER_EMPTY_TEXT,
  MODULE_OF_RESOURCE,
  READONLY_SUFFIX,
  RETRY_AFTER_HEADER,
  SCOPES_OF_RESOURCE,
  STATUS_OF_CODE,
  TEXTS,
  VOUCHER_WITHOUT_FISCAL_YEAR_STATUS,
} from './inferred';
import { ensureSales } from './sales';
import { SimError, type EaccountingState } from './state';
import type { SimAccessToken, SimCompany } from './types';

export function sendError(res: Response, status: number, code: number, message: string, errors: Array<{ Field: string; Message: string }> = []): void {
  res.status(status).json({ ErrorCode: code, DeveloperErrorMessage: message, ErrorId: randomUUID().replace(/-/g, ''), Errors: errors });
}

const fail = (code: number, message: string, errors: Array<{ Field: string; Message: string }> = [], status = STATUS_OF_CODE[code] ?? 400) => new SimError(status, code, message, errors);

/** "GET /v2/accounts/{id}": the quota counts per endpoint, not per id. */
export function endpointOf(method: string, path: string): string {
  const p = path
    .split('/')
    .map((s) => (/^[0-9a-f]{8}-[0-9a-f-]{27,}$/i.test(s) || /^[0-9a-f]{36}$/i.test(s) || /^\d+$/.test(s) ? '{id}' : s.toLowerCase()))
    .join('/');
  return `${method.toUpperCase()} ${p}`;
}

interface Ctx {
  grant: SimAccessToken;
  company: SimCompany;
}

const ctxOf = (res: Response) => res.locals.ea as Ctx;

/** Meta/Data envelope with $page (1-based) and $pagesize (default 50, 1–1000), after $filter. */
function list<T extends object>(req: Request, res: Response, items: T[]): void {
  const page = req.query.$page === undefined ? 1 : Number(req.query.$page);
  const size = req.query.$pagesize === undefined ? 50 : Number(req.query.$pagesize);
  if (!Number.isInteger(page) || page < 1 || !Number.isInteger(size) || size < 1 || size > 1000) throw fail(6000, 'QueryParameterError - $page must be ≥ 1 and $pagesize 1–1000.');
  const filtered = applyFilter(items, req.query.$filter);
  const pages = Math.max(1, Math.ceil(filtered.length / size));
  res.json({
    Meta: { CurrentPage: page, PageSize: size, TotalNumberOfPages: pages, TotalNumberOfResults: filtered.length, ServerTimeUtc: new Date().toISOString() },
    Data: filtered.slice((page - 1) * size, page * size),
  });
}

/** One `$filter` clause: `<Field> <op> <value>` (inferred.ts FILTER_OPERATORS). */
interface Clause {
  field: string;
  op: 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';
  value: string | null;
  quoted: boolean;
}

const CLAUSE = /^\s*([A-Za-z]+)\s+(eq|ne|gt|ge|lt|le)\s+(?:'((?:[^']|'')*)'|datetime'([^']*)'|(null)|([0-9][0-9:.TZ+-]*|-[0-9.]+|true|false))\s*$/i;
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:?\d{2})?$/;

/** Splits on ` and ` / ` or ` outside quotes: `or` of `and`-groups (no parentheses). */
function parseFilter(raw: string): Clause[][] {
  const tokens = raw.match(/'(?:[^']|'')*'|\S+/g) ?? [];
  const groups: string[][][] = [[[]]];
  for (const t of tokens) {
    const g = groups[groups.length - 1];
    if (/^or$/i.test(t)) groups.push([[]]);
    else if (/^and$/i.test(t)) g.push([]);
    else g[g.length - 1].push(t);
  }
  return groups.map((g) =>
    g.map((words) => {
      const c = words.join(' ');
      const m = CLAUSE.exec(c);
      if (!m) throw fail(6000, `QueryParameterError - unsupported $filter clause: ${c}`);
      const quoted = m[3] !== undefined || m[4] !== undefined;
      const value = m[3] !== undefined ? m[3].replace(/''/g, "'") : m[4] !== undefined ? m[4] : m[5] !== undefined ? null : m[6];
      return { field: m[1], op: m[2].toLowerCase() as Clause['op'], value, quoted };
    }),
  );
}

function matches(v: unknown, c: Clause): boolean {
  if (c.value === null || v === null) {
    const same = c.value === null && v === null;
    if (c.op === 'eq') return same;
    if (c.op === 'ne') return !same;
    return false;
  }
  const s = String(v);
  const val = c.value;
  let cmp: number;
  if (typeof v === 'number' && !c.quoted && Number.isFinite(Number(val))) cmp = v - Number(val);
  else if (typeof v === 'string' && ISO_TIME.test(s) && (ISO_TIME.test(val) || ISO_DAY.test(val))) {
    // eq 'yyyy-MM-dd' on a date-time matches that day; otherwise instants are compared.
    if (ISO_DAY.test(val) && (c.op === 'eq' || c.op === 'ne')) return s.startsWith(val) === (c.op === 'eq');
    if (Number.isNaN(Date.parse(val))) throw fail(6001, `InvalidInput - invalid date in $filter: ${val}`);
    cmp = Date.parse(s) - Date.parse(ISO_DAY.test(val) ? `${val}T00:00:00Z` : val);
  } else {
    if (c.op === 'eq') return s === val || (ISO_DAY.test(val) && s.startsWith(val));
    if (c.op === 'ne') return s !== val;
    cmp = s < val ? -1 : s > val ? 1 : 0;
  }
  switch (c.op) {
    case 'eq':
      return cmp === 0;
    case 'ne':
      return cmp !== 0;
    case 'gt':
      return cmp > 0;
    case 'ge':
      return cmp >= 0;
    case 'lt':
      return cmp < 0;
    case 'le':
      return cmp <= 0;
  }
}

/** `$filter`, e.g. `Status eq 2 and ModifiedUtc gt '2026-01-01T00:00:00Z'`; an unknown field is a 6000. */
function applyFilter<T extends object>(items: T[], raw: unknown): T[] {
  if (raw === undefined || raw === '') return items;
  const groups = parseFilter(String(raw));
  return items.filter((it) =>
    groups.some((g) =>
      g.every((c) => {
        const v = (it as Record<string, unknown>)[c.field];
        if (v === undefined) throw fail(6000, `QueryParameterError - unknown field ${c.field}`);
        return matches(v, c);
      }),
    ),
  );
}

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}(T[\d:.]+Z?)?$/, 'must be a date yyyy-MM-dd').transform((s) => s.slice(0, 10));
const twoDecimals = (n: number) => Math.abs(Math.round(n * 100) - n * 100) < 1e-6;
const amount = z.number().min(0).refine(twoDecimals, 'at most 2 decimals');

const voucherBody = z.object({
  VoucherDate: date,
  VoucherText: z.string().min(1).max(1000),
  Rows: z
    .array(
      z.object({
        AccountNumber: z.number().int().min(1),
        DebitAmount: amount.optional(),
        CreditAmount: amount.optional(),
        TransactionText: z.string().max(60).nullish(),
      }),
    )
    .min(1),
  VoucherType: z.number().int().optional(),
});

const fiscalYearBody = z.object({ StartDate: date, EndDate: date, BookkeepingMethod: z.number().int().min(0).max(2).optional(), IsLockedForAccounting: z.boolean().optional() });

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const r = schema.safeParse(body);
  if (r.success) return r.data;
  throw fail(2000, 'DataModelValidationError - The request is invalid.', r.error.issues.map((i) => ({ Field: i.path.join('.').replace(/\.(\d+)\./g, '[$1].'), Message: i.message })));
}

export function apiRouter(state: EaccountingState): express.Router {
  const r = express.Router();
  r.use('/v2', express.json({ limit: '5mb' }));

  // Authentication, quota and module, in the order the real API seems to apply them (4005 before 4010).
  r.use('/v2', (req: Request, res: Response, next: NextFunction) => {
    const grant = state.bearer(req.header('authorization'));
    if (!grant) return void sendError(res, 401, 4005, TEXTS.notAuthorized);
    const wait = state.count(grant.clientId, endpointOf(req.method, req.baseUrl + req.path));
    if (wait !== undefined) {
      if (RETRY_AFTER_HEADER) res.setHeader('retry-after', String(wait));
      return void sendError(res, 429, 4010, TEXTS.quota(state.quotaPerMinute, wait));
    }
    const company = state.company(grant.companyId);
    if (!company) return void sendError(res, 403, 4004, 'CompanyNotActive');
    if (!company.modules.includes('api_standard')) return void sendError(res, 403, 4002, TEXTS.noModule('api_standard'));
    const scopes = grant.scope.split(' ');
    const resource = req.path.split('/')[1]?.toLowerCase() ?? '';
    // Unknown resources keep the old rule (ea:accounting) and end in the 404 below.
    const needed = SCOPES_OF_RESOURCE[resource] ?? ['ea:accounting'];
    const readOnly = req.method === 'GET';
    if (!needed.some((n) => scopes.includes(n) || (readOnly && scopes.includes(`${n}${READONLY_SUFFIX}`)))) return void sendError(res, 403, 4006, TEXTS.noScope);
    const module = MODULE_OF_RESOURCE[resource];
    if (module && !company.modules.includes(module)) return void sendError(res, 403, 4002, TEXTS.noModule(module));
    res.locals.ea = { grant, company } satisfies Ctx;
    next();
  });

  const route = (fn: (req: Request, res: Response, c: Ctx) => void) => (req: Request, res: Response) => {
    try {
      fn(req, res, ctxOf(res));
    } catch (err) {
      if (err instanceof SimError) return void sendError(res, err.status, err.code, err.message, err.errors);
      throw err;
    }
  };

  const fiscalYearById = (c: SimCompany, id: string) => {
    const fy = c.fiscalYears.find((f) => f.Id === id);
    if (!fy) throw fail(3000, FISCAL_YEAR_NOT_FOUND_TEXT, [], 404);
    return fy;
  };

  r.get(
    '/v2/companysettings',
    route((_req, res, { company: c }) => {
      res.json({
        Name: c.name,
        CompanyIdentifier: c.id,
        CountryCode: 'NL',
        CurrencyCode: 'EUR',
        AccountNumberDigits: 4,
        AccountingLockedTo: c.accountingLockedTo,
        ActivatedModules: c.modules,
        ProductVariant: 3,
        CompanyStatus: 1,
      });
    }),
  );

  r.get('/v2/fiscalyears', route((req, res, { company: c }) => list(req, res, c.fiscalYears)));
  r.get('/v2/fiscalyears/:id', route((req, res, { company: c }) => void res.json(fiscalYearById(c, String(req.params.id)))));
  r.post(
    '/v2/fiscalyears',
    route((req, res, { company: c }) => {
      const body = parse(fiscalYearBody, req.body);
      res.status(201).json(state.createFiscalYear(c, body));
    }),
  );

  r.get(
    '/v2/accounts/:fiscalYearId',
    route((req, res, { company: c }) => {
      const fy = fiscalYearById(c, String(req.params.fiscalYearId));
      list(req, res, c.accounts.filter((a) => a.FiscalYearId === fy.Id));
    }),
  );

  r.get('/v2/vouchers', route((req, res, { company: c }) => list(req, res, c.vouchers)));
  r.get(
    '/v2/vouchers/:fiscalYearId',
    route((req, res, { company: c }) => {
      const fy = fiscalYearById(c, String(req.params.fiscalYearId));
      list(req, res, c.vouchers.filter((v) => v.FiscalYearId === fy.Id));
    }),
  );
  r.get(
    '/v2/vouchers/:fiscalYearId/:voucherId',
    route((req, res, { company: c }) => {
      const fy = fiscalYearById(c, String(req.params.fiscalYearId));
      const v = c.vouchers.find((x) => x.FiscalYearId === fy.Id && x.Id === req.params.voucherId);
      if (!v) throw fail(3000, TEXTS.notFound, [], 404);
      res.json(v);
    }),
  );

  r.post(
    '/v2/vouchers',
    route((req, res, { company: c }) => {
      const body = parse(voucherBody, req.body);
      if (c.generalLedgerIncomplete) return void res.status(400).json({ message: LEDGER_EMPTY_TEXT(randomUUID()) });
      const fy = state.fiscalYearOf(c, body.VoucherDate);
      if (!fy) throw fail(3000, FISCAL_YEAR_NOT_FOUND_TEXT, [], VOUCHER_WITHOUT_FISCAL_YEAR_STATUS);
      if (fy.IsLockedForAccounting) throw fail(4038, TEXTS.lockedYear);
      if (c.accountingLockedTo && body.VoucherDate <= c.accountingLockedTo) throw fail(4026, TEXTS.lockedPeriod(c.accountingLockedTo));
      const accounts = new Map(c.accounts.filter((a) => a.FiscalYearId === fy.Id).map((a) => [Number(a.Number), a]));
      const rows = body.Rows.map((row, i) => {
        const a = accounts.get(row.AccountNumber);
        if (!a) throw fail(3002, TEXTS.accountNotFound(row.AccountNumber, fy.StartDate.slice(0, 4)), [{ Field: `Rows[${i}].AccountNumber`, Message: `Account ${row.AccountNumber} does not exist` }]);
        if (a.IsBlockedForManualBooking || !a.IsActive) throw fail(BLOCKED_ACCOUNT_CODE, TEXTS.accountBlocked(row.AccountNumber), [{ Field: `Rows[${i}].AccountNumber`, Message: TEXTS.accountBlocked(row.AccountNumber) }]);
        return { AccountNumber: row.AccountNumber, AccountDescription: a.Name, DebitAmount: row.DebitAmount ?? 0, CreditAmount: row.CreditAmount ?? 0, TransactionText: row.TransactionText ?? null };
      });
      const cents = (n: number) => Math.round(n * 100);
      const balance = rows.reduce((s, x) => s + cents(x.DebitAmount) - cents(x.CreditAmount), 0);
      if (balance !== 0) throw fail(2000, TEXTS.unbalanced, [{ Field: 'Rows', Message: TEXTS.unbalanced }]);
      res.status(201).json(state.addVoucher(c, fy.Id, { VoucherDate: body.VoucherDate, VoucherText: body.VoucherText, Rows: rows, VoucherType: body.VoucherType ?? 2 }));
    }),
  );

  // Sales (issue 11): read-only here; the records change through the control API.
  const byId = <T extends { Id: string }>(items: T[], id: unknown): T => {
    const found = items.find((x) => x.Id.toLowerCase() === String(id).toLowerCase());
    if (!found) throw fail(3000, TEXTS.notFound, [], 404);
    return found;
  };
  const sales = (c: SimCompany) => ensureSales(c);
  r.get('/v2/articles', route((req, res, { company: c }) => list(req, res, sales(c).articles)));
  r.get('/v2/articles/:id', route((req, res, { company: c }) => void res.json(byId(sales(c).articles, req.params.id))));
  r.get('/v2/customers', route((req, res, { company: c }) => list(req, res, sales(c).customers)));
  r.get('/v2/customers/:id', route((req, res, { company: c }) => void res.json(byId(sales(c).customers, req.params.id))));
  r.get('/v2/orders', route((req, res, { company: c }) => list(req, res, sales(c).orders)));
  r.get('/v2/orders/:id', route((req, res, { company: c }) => void res.json(byId(sales(c).orders, req.params.id))));
  r.get('/v2/termsofpayments', route((req, res, { company: c }) => list(req, res, sales(c).termsOfPayments)));
  r.get('/v2/termsofpayments/:id', route((req, res, { company: c }) => void res.json(byId(sales(c).termsOfPayments, req.params.id))));
  r.get('/v2/units', route((req, res, { company: c }) => list(req, res, sales(c).units)));
  r.get('/v2/units/:id', route((req, res, { company: c }) => void res.json(byId(sales(c).units, req.params.id))));

  r.use('/v2', (_req: Request, res: Response) => sendError(res, 404, 3000, TEXTS.notFound));
  return r;
}

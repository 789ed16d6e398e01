/**
 * Control API for tests, the demo and benchmarks (JSON, loopback only): tokens (expire, revoke),
 * users (password change, default company), companies (modules, locked period, fiscal years,
 * accounts), vouchers, the sales register (terms of payment, units, articles, customers, orders:
 * seed one or many, change one, e.g. an order's Status), limits and call statistics. Fault routes come from the shared FaultInjector.
 */
import { randomUUID } from 'node:crypto';
import express, { type Request, type Response } from 'express';
import { z } from 'zod';
import type { FaultInjector } from '../../simulator-support/faults';
import { loopbackOnly } from '../../simulator-support/loopback';
import { DEMO_CHART } from './demo';
import { articleChange, articleInput, customerChange, customerInput, emptySales, ensureSales, orderChange, orderInput, termsChange, termsInput, unitChange, unitInput } from './sales';
import { SimError, type EaccountingState } from './state';

const emailBody = z.object({ email: z.string().optional() }).strict();

function route(fn: (req: Request) => unknown) {
  return (req: Request, res: Response): void => {
    try {
      res.json(fn(req) ?? { ok: true });
    } catch (err) {
      if (err instanceof z.ZodError) res.status(400).json({ error: 'invalid request', issues: err.issues });
      else if (err instanceof SimError) res.status(err.status).json({ error: err.message });
      else throw err;
    }
  };
}

export function controlRouter(state: EaccountingState, faults: FaultInjector): express.Router {
  const r = express.Router();
  r.use('/_control', loopbackOnly, express.json({ limit: '5mb' }));
  const company = (req: Request) => {
    const c = state.company(String(req.params.id));
    if (!c) throw new SimError(404, 3000, `unknown company ${String(req.params.id)}`);
    return c;
  };

  r.get('/_control/state', route(() => state.snapshot()));
  r.post(
    '/_control/reset',
    route((req) => {
      const { demo } = z.object({ demo: z.boolean().default(true) }).parse(req.body ?? {});
      state.reset(demo);
      faults.reset();
      return { ok: true, demo };
    }),
  );
  r.post('/_control/tokens/expire', route((req) => ({ expired: state.expireAccessTokens(emailBody.parse(req.body ?? {}).email) })));
  r.post('/_control/tokens/revoke', route((req) => ({ revoked: state.revoke(emailBody.parse(req.body ?? {}).email) })));
  r.post(
    '/_control/clients',
    route((req) => {
      const c = z.object({ clientId: z.string().min(1), clientSecret: z.string().min(1), redirectUris: z.array(z.string().url()) }).strict().parse(req.body);
      state.data.clients = [...state.data.clients.filter((x) => x.clientId !== c.clientId), c];
      return c;
    }),
  );
  r.post(
    '/_control/users',
    route((req) => {
      const u = z.object({ email: z.string().email(), password: z.string().min(1), companies: z.array(z.string()), defaultCompanyId: z.string().nullable().default(null) }).strict().parse(req.body);
      state.data.users = [...state.data.users.filter((x) => x.email !== u.email), { ...u, passwordVersion: 1 }];
      return { email: u.email, companies: u.companies };
    }),
  );
  r.post(
    '/_control/users/:email/password',
    route((req) => {
      const { password } = z.object({ password: z.string().min(1) }).strict().parse(req.body);
      state.changePassword(String(req.params.email), password);
      return { ok: true };
    }),
  );
  r.put(
    '/_control/users/:email/default-company',
    route((req) => {
      const { companyId } = z.object({ companyId: z.string().nullable() }).strict().parse(req.body);
      state.setDefaultCompany(String(req.params.email), companyId);
      return { ok: true, companyId };
    }),
  );
  r.post(
    '/_control/companies',
    route((req) => {
      const b = z
        .object({ id: z.string().optional(), name: z.string().min(1), modules: z.array(z.string()).default(['api_standard']), fiscalYears: z.array(z.number().int()).default([]) })
        .strict()
        .parse(req.body);
      const id = b.id ?? randomUUID();
      const c = { id, name: b.name, modules: b.modules, accountingLockedTo: null, generalLedgerIncomplete: false, fiscalYears: [], accounts: [], vouchers: [], voucherCounters: {}, sales: emptySales() };
      state.data.companies = [...state.data.companies.filter((x) => x.id !== id), c];
      for (const y of b.fiscalYears) state.createFiscalYear(c, { StartDate: `${y}-01-01`, EndDate: `${y}-12-31` });
      return { id, fiscalYears: c.fiscalYears };
    }),
  );
  r.put(
    '/_control/companies/:id',
    route((req) => {
      const c = company(req);
      const b = z.object({ modules: z.array(z.string()).optional(), accountingLockedTo: z.string().nullable().optional(), generalLedgerIncomplete: z.boolean().optional(), name: z.string().optional() }).strict().parse(req.body);
      Object.assign(c, Object.fromEntries(Object.entries(b).filter(([, v]) => v !== undefined)));
      return { id: c.id, modules: c.modules, accountingLockedTo: c.accountingLockedTo, generalLedgerIncomplete: c.generalLedgerIncomplete };
    }),
  );
  /** What the user does in the Visma portal: create a calendar fiscal year. */
  r.post(
    '/_control/companies/:id/fiscalyears',
    route((req) => {
      const { year } = z.object({ year: z.number().int().min(2000).max(2100) }).strict().parse(req.body);
      return state.createFiscalYear(company(req), { StartDate: `${year}-01-01`, EndDate: `${year}-12-31` });
    }),
  );
  r.put(
    '/_control/companies/:id/fiscalyears/:fy',
    route((req) => {
      const c = company(req);
      const fy = c.fiscalYears.find((f) => f.Id === req.params.fy);
      if (!fy) throw new SimError(404, 3000, 'unknown fiscal year');
      fy.IsLockedForAccounting = z.object({ IsLockedForAccounting: z.boolean() }).strict().parse(req.body).IsLockedForAccounting;
      return fy;
    }),
  );
  r.put(
    '/_control/companies/:id/accounts/:fy/:number',
    route((req) => {
      const c = company(req);
      const b = z.object({ Name: z.string().optional(), IsActive: z.boolean().optional(), IsBlockedForManualBooking: z.boolean().optional(), delete: z.boolean().optional() }).strict().parse(req.body);
      const number = String(req.params.number);
      const fyId = String(req.params.fy);
      c.accounts = c.accounts.filter((a) => !(a.FiscalYearId === fyId && a.Number === number));
      if (b.delete) return { deleted: number };
      const base = DEMO_CHART.find((a) => a.Number === number);
      const account = { Number: number, Name: b.Name ?? base?.Name ?? `Rekening ${number}`, FiscalYearId: fyId, IsActive: b.IsActive ?? true, IsBlockedForManualBooking: b.IsBlockedForManualBooking ?? false };
      c.accounts.push(account);
      return account;
    }),
  );
  r.get('/_control/companies/:id/vouchers', route((req) => company(req).vouchers));

  // Sales register (issue 11): what a user does in the eAccounting screens. POST takes one record
  // or an array (bulk seeding for benchmarks) and answers the created records; PUT changes one.
  const oneOrMany = <T extends z.ZodTypeAny>(t: T) => z.union([t, z.array(t)]);
  const sales = <I extends z.ZodTypeAny, C extends z.ZodTypeAny, R>(
    path: string,
    all: (c: ReturnType<typeof company>) => R[],
    create: (req: Request, b: z.output<I>) => R,
    change: (req: Request, id: string, b: z.output<C>) => R,
    input: I,
    changeInput: C,
  ) => {
    r.get(`/_control/companies/:id/${path}`, route((req) => all(company(req))));
    r.post(
      `/_control/companies/:id/${path}`,
      route((req) => {
        const b = oneOrMany(input).parse(req.body) as z.output<I> | Array<z.output<I>>;
        return Array.isArray(b) ? b.map((x) => create(req, x)) : create(req, b);
      }),
    );
    r.put(`/_control/companies/:id/${path}/:itemId`, route((req) => change(req, String(req.params.itemId), changeInput.parse(req.body) as z.output<C>)));
  };
  const reg = (req: Request) => state.sales(company(req));
  sales('termsofpayments', (c) => ensureSales(c).termsOfPayments, (req, b) => reg(req).upsertTerms(b), (req, id, b) => reg(req).changeTerms(id, b), termsInput, termsChange);
  sales('units', (c) => ensureSales(c).units, (req, b) => reg(req).upsertUnit(b), (req, id, b) => reg(req).changeUnit(id, b), unitInput, unitChange);
  sales('articles', (c) => ensureSales(c).articles, (req, b) => reg(req).createArticle(b), (req, id, b) => reg(req).changeArticle(id, b), articleInput, articleChange);
  sales('customers', (c) => ensureSales(c).customers, (req, b) => reg(req).createCustomer(b), (req, id, b) => reg(req).changeCustomer(id, b), customerInput, customerChange);
  sales('orders', (c) => ensureSales(c).orders, (req, b) => reg(req).createOrder(b), (req, id, b) => reg(req).changeOrder(id, b), orderInput, orderChange);
  /** Empties a company's sales register (a benchmark starts from nothing). */
  r.delete(
    '/_control/companies/:id/sales',
    route((req) => {
      company(req).sales = emptySales();
      return { ok: true };
    }),
  );
  r.put(
    '/_control/settings',
    route((req) => {
      const b = z.object({ accessTokenSeconds: z.number().int().min(1).optional(), quotaPerMinute: z.number().int().min(1).optional(), refreshDelayMs: z.number().int().min(0).optional() }).strict().parse(req.body);
      if (b.accessTokenSeconds !== undefined) state.accessTokenSeconds = b.accessTokenSeconds;
      if (b.quotaPerMinute !== undefined) state.setQuota(b.quotaPerMinute);
      if (b.refreshDelayMs !== undefined) state.refreshDelayMs = b.refreshDelayMs;
      return { accessTokenSeconds: state.accessTokenSeconds, quotaPerMinute: state.quotaPerMinute, refreshDelayMs: state.refreshDelayMs };
    }),
  );
  r.get('/_control/stats', (_req, res) => void res.json({ ...state.stats, injected: faults.injected }));
  r.delete('/_control/stats', (_req, res) => {
    state.resetStats();
    res.json({ ok: true });
  });
  r.use(faults.routes());
  return r;
}

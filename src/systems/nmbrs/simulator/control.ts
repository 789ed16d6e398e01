/**
 * JSON control API under /_control (tests and the demo drive the simulator with it).
 * Only loopback callers are served, whatever address the server itself is bound to.
 */
import express, { type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import type { FaultInjector } from '../../simulator-support/faults';
import { StateError, type NmbrsState, type RunInput } from './state';
import type { CallStats } from './stats';
import type { JournalTransaction } from './types';
import { loopbackOnly } from '../../simulator-support/loopback';

export { loopbackOnly };

const id = z.number().int().positive();
const cents = (euros: number | string) => Math.round(Number(String(euros).replace(',', '.')) * 100);

const userSchema = z
  .object({
    username: z.string().min(1),
    token: z.string().min(1),
    domain: z.string(),
    debtorId: id.optional(),
    companyIds: z.array(id).optional(),
    inactiveCalls: z.array(z.string()).optional(),
  })
  .strict();

const debtorSchema = z
  .object({ id, number: z.number().int().optional(), name: z.string().min(1), domain: z.string().min(1), subscribed: z.boolean().optional() })
  .strict();

const companySchema = z
  .object({
    id,
    debtorId: id,
    name: z.string().min(1),
    number: z.number().int().optional(),
    periodType: z.enum(['M', 'W4', 'W1']).optional(),
    loonaangifteTijdvak: z.enum(['None', 'Month', 'Week4', 'Month6', 'Year']).optional(),
    kvkNr: z.string().optional(),
    email: z.string().optional(),
    phoneNumber: z.string().optional(),
    currentYear: z.number().int().optional(),
    currentPeriod: z.number().int().positive().optional(),
    wageCodes: z.array(z.object({ code: z.number().int(), description: z.string() })).optional(),
  })
  .strict();

/** Journal lines in wire-friendly form: euros (number or "1234.56"), D/C or debit/credit. */
const journalSchema = z.array(
  z.object({
    date: z.string().regex(/^\d{8}$/),
    period: z.string().regex(/^\d{1,2}\/\d{4}$/),
    lines: z
      .array(
        z.object({
          dim1: z.string().min(1),
          dim2: z.string().optional(),
          dim3: z.string().optional(),
          value: z.union([z.number().nonnegative(), z.string().regex(/^\d+([.,]\d{1,2})?$/)]),
          debitCredit: z.enum(['D', 'C', 'debit', 'credit']),
          description: z.string(),
        }),
      )
      .min(2),
  }),
);

const runSchema = z
  .object({
    id: id.optional(),
    number: z.number().int().positive().optional(),
    year: z.number().int().min(2000).max(2100),
    periodStart: z.number().int().min(1).max(53),
    periodEnd: z.number().int().min(1).max(53).optional(),
    description: z.string().optional(),
    runAt: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/).optional(),
    isLocked: z.boolean().optional(),
    journal: journalSchema.optional(),
    /** Gross wages per period, euros, for a generated standard journal. */
    grossSalary: z.number().positive().optional(),
  })
  .strict();

function toRunInput(body: z.infer<typeof runSchema>): RunInput {
  const { journal, grossSalary, ...rest } = body;
  const converted: JournalTransaction[] | undefined = journal?.map((tx) => ({
    date: tx.date,
    period: tx.period,
    lines: tx.lines.map((l) => ({
      dim1: l.dim1,
      dim2: l.dim2,
      dim3: l.dim3,
      cents: cents(l.value),
      debitCredit: l.debitCredit === 'D' || l.debitCredit === 'debit' ? 'debit' : 'credit',
      description: l.description,
    })),
  }));
  return { ...rest, journal: converted, grossCents: grossSalary === undefined ? undefined : cents(grossSalary) };
}

/** Wraps a handler: zod and StateError become 400/404/409 JSON answers. */
function route(fn: (req: Request) => unknown) {
  return (req: Request, res: Response): void => {
    try {
      res.json(fn(req) ?? { ok: true });
    } catch (err) {
      if (err instanceof z.ZodError) res.status(400).json({ error: 'invalid request', issues: err.issues });
      else if (err instanceof StateError) res.status(err.status).json({ error: err.message });
      else throw err;
    }
  };
}

const numParam = (req: Request, name: string) => id.parse(Number(req.params[name]));

export function controlRouter(state: NmbrsState, stats: CallStats, faults: FaultInjector): Router {
  const router = express.Router();
  router.use('/_control', loopbackOnly, express.json({ limit: '5mb' }));

  router.get('/_control/state', route(() => state.snapshot()));
  router.post(
    '/_control/reset',
    route((req) => {
      const { demo } = z.object({ demo: z.boolean().default(true) }).parse(req.body ?? {});
      state.reset(demo);
      stats.reset();
      faults.reset();
      return { ok: true, demo };
    }),
  );
  router.post('/_control/debtors', route((req) => state.addDebtor(debtorSchema.parse(req.body))));
  router.post('/_control/companies', route((req) => state.addCompany(companySchema.parse(req.body))));
  router.post(
    '/_control/companies/:companyId/runs',
    route((req) => {
      const companyId = numParam(req, 'companyId');
      const body = req.body as { runs?: unknown } | undefined;
      if (body && Array.isArray(body.runs)) {
        const runs = z.array(runSchema).parse(body.runs);
        return { runs: runs.map((r) => state.addRun(companyId, toRunInput(r))) };
      }
      return state.addRun(companyId, toRunInput(runSchema.parse(req.body)));
    }),
  );
  router.post(
    '/_control/runs/:runId/recalculate',
    route((req) => {
      const { factor } = z.object({ factor: z.number().positive().max(10).optional() }).parse(req.body ?? {});
      return state.recalculateRun(numParam(req, 'runId'), factor);
    }),
  );
  router.post(
    '/_control/runs/:runId/lock',
    route((req) => {
      const { locked } = z.object({ locked: z.boolean().default(true) }).parse(req.body ?? {});
      return state.lockRun(numParam(req, 'runId'), locked);
    }),
  );
  router.post(
    '/_control/companies/:companyId/employees',
    route((req) => {
      const body = z
        .object({
          count: z.number().int().min(1).max(1000).optional(),
          employees: z
            .array(z.object({ id: id.optional(), number: id.optional(), displayName: z.string().min(1).optional(), iban: z.string().optional(), netCents: z.number().int().positive().optional() }).strict())
            .optional(),
        })
        .strict()
        .parse(req.body ?? {});
      const list = body.employees ?? Array.from({ length: body.count ?? 1 }, () => ({}));
      return { employees: state.addEmployees(numParam(req, 'companyId'), list) };
    }),
  );
  router.post(
    '/_control/wagetaxes',
    route((req) => {
      const dt = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/);
      const w = z
        .object({
          id: id.optional(),
          companyId: id,
          year: z.number().int(),
          period: z.number().int().min(1).max(53),
          serialNumber: z.number().int().optional(),
          status: z.string().default('open'),
          totalGeneral: z.number().int().default(1000),
          paymentReference: z.string().optional(),
          tijdvakStart: dt.optional(),
          tijdvakEnd: dt.optional(),
          correctionTijdvakStart: dt.default('0001-01-01T00:00:00'),
          correctionTijdvakEnd: dt.default('0001-01-01T00:00:00'),
        })
        .strict()
        .parse(req.body);
      const mm = String(Math.min(w.period, 12)).padStart(2, '0');
      return state.addWageTax({
        ...w,
        serialNumber: w.serialNumber ?? w.period,
        sentAt: '0001-01-01T00:00:00',
        tijdvakStart: w.tijdvakStart ?? `${w.year}-${mm}-01T00:00:00`,
        tijdvakEnd: w.tijdvakEnd ?? `${w.year}-${mm}-28T00:00:00`,
      });
    }),
  );
  router.post(
    '/_control/wagetaxes/:wageTaxId',
    route((req) => {
      const change = z.object({ status: z.string().optional(), recompute: z.boolean().optional() }).strict().parse(req.body ?? {});
      return state.updateWageTax(numParam(req, 'wageTaxId'), change);
    }),
  );
  router.post('/_control/users', route((req) => state.upsertUser(userSchema.parse(req.body))));
  router.put(
    '/_control/users',
    route((req) => {
      const { users } = z.object({ users: z.array(userSchema) }).parse(req.body);
      state.replaceUsers(users);
      return { users };
    }),
  );
  router.put(
    '/_control/users/:username/rights/:call',
    route((req) => {
      const { active } = z.object({ active: z.boolean() }).parse(req.body);
      return state.setCallActive(String(req.params.username), String(req.params.call), active);
    }),
  );
  router.get('/_control/stats', (_req, res) => {
    res.json({ ...stats.snapshot(), injected: faults.injected });
  });
  router.delete('/_control/stats', (_req, res) => {
    stats.reset();
    res.json({ ok: true });
  });
  router.use(faults.routes());
  return router;
}

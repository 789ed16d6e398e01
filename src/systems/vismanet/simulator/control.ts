/**
 * Control API for tests, the demo and benchmarks (JSON, loopback only): seed and list customers,
 * inventory, branches and sales orders per tenant (default: the demo tenant), clients and tenants,
 * token expiry, the rate limit, call and write counters, reset. Fault routes (429 with Retry-After,
 * 500, delay) come from the shared FaultInjector.
 */
import express, { type Request, type Response } from 'express';
import { z } from 'zod';
import type { FaultInjector } from '../../simulator-support/faults';
import { loopbackOnly } from '../../simulator-support/loopback';
import { DEMO_TENANT_ID } from './demo';
import { SimError, type VismanetState } from './state';
import type { Json } from './types';

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

const isWrapped = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v) && 'value' in v && Object.keys(v).length === 1;

/**
 * Control inputs may be plain records or `{value}` DTOs: the fields of a plain record (and of its
 * nested objects) are wrapped here, so tests seed data briefly and the API's rules still apply.
 */
function dto(o: Json): Json {
  const wrap = (v: unknown): unknown => (isWrapped(v) ? v : typeof v === 'object' && v !== null && !Array.isArray(v) ? { value: dto(v as Json) } : { value: v });
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, Array.isArray(v) ? v.map((i) => (typeof i === 'object' && i !== null ? dto(i as Json) : { value: i })) : wrap(v)]));
}

const records = z.union([z.array(z.record(z.unknown())), z.record(z.unknown())]).transform((v) => (Array.isArray(v) ? v : [v]));

export function controlRouter(state: VismanetState, faults: FaultInjector): express.Router {
  const r = express.Router();
  r.use('/_control', loopbackOnly, express.json({ limit: '20mb' }));
  const tenant = (req: Request) => (typeof req.query.tenantId === 'string' && req.query.tenantId ? req.query.tenantId : DEMO_TENANT_ID);
  const company = (req: Request) => state.company(tenant(req));

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

  // Visma Connect: apps, tenants, tokens.
  r.post(
    '/_control/clients',
    route((req) => {
      const c = z.object({ clientId: z.string().min(1), clientSecret: z.string().min(1), tenants: z.array(z.string().min(1)), scopes: z.array(z.string()).optional() }).strict().parse(req.body);
      const scopes = c.scopes ?? state.data.clients[0]?.scopes ?? [];
      state.data.clients = [...state.data.clients.filter((x) => x.clientId !== c.clientId), { ...c, scopes }];
      return { clientId: c.clientId, tenants: c.tenants, scopes };
    }),
  );
  r.post(
    '/_control/tenants',
    route((req) => {
      const t = z.object({ id: z.string().min(1), name: z.string().default('Tenant'), kind: z.enum(['company', 'customer']).default('company'), approveFor: z.array(z.string()).default([]) }).strict().parse(req.body);
      state.data.tenants = [...state.data.tenants.filter((x) => x.id !== t.id), { id: t.id, name: t.name, kind: t.kind }];
      for (const c of state.data.clients) if (t.approveFor.includes(c.clientId) && !c.tenants.includes(t.id)) c.tenants.push(t.id);
      if (t.kind === 'company') state.company(t.id);
      return { id: t.id, kind: t.kind };
    }),
  );
  r.post('/_control/tokens/expire', route(() => ({ expired: state.expireTokens() })));
  r.post('/_control/tokens/lifetime', route((req) => ({ seconds: (state.tokenSeconds = z.object({ seconds: z.number().int().min(1) }).strict().parse(req.body).seconds) })));

  // Company data of one tenant (?tenantId=, default the demo tenant).
  r.get('/_control/customers', route((req) => company(req).customers));
  r.post('/_control/customers', route((req) => records.parse(req.body).map((r) => ({ number: state.createCustomer(tenant(req), dto(r)) }))));
  r.put('/_control/customers/:number', route((req) => {
    state.updateCustomer(tenant(req), String(req.params.number), dto(z.record(z.unknown()).parse(req.body)));
    return state.customer(tenant(req), String(req.params.number));
  }));
  r.get('/_control/inventory', route((req) => company(req).inventory));
  r.post('/_control/inventory', route((req) => records.parse(req.body).map((r) => ({ inventoryNumber: state.createInventory(tenant(req), dto(r)) }))));
  r.put('/_control/inventory/:nr', route((req) => {
    state.updateInventory(tenant(req), String(req.params.nr), dto(z.record(z.unknown()).parse(req.body)));
    return state.inventoryItem(tenant(req), String(req.params.nr));
  }));
  r.get('/_control/branches', route((req) => company(req).branches));
  r.put(
    '/_control/branches',
    route((req) => {
      const rows = z.array(z.object({ number: z.string().min(1), name: z.string().min(1), isMainBranch: z.boolean().default(false) }).passthrough()).parse(req.body);
      company(req).branches = rows.map((b, i): Json => ({ branchId: i + 1, isActive: true, currency: { id: 'EUR' }, ledger: { id: 'ACTUAL', description: 'Actual ledger' }, ...b }));
      return company(req).branches;
    }),
  );
  r.get('/_control/salesorders', route((req) => company(req).salesOrders));
  r.post('/_control/salesorders', route((req) => records.parse(req.body).map((b) => state.createSalesOrder(tenant(req), b))));
  /** Changes an order as a user in Visma.net would (status, description): its ETag changes. */
  r.patch(
    '/_control/salesorders/:type/:id',
    route((req) => {
      const o = state.salesOrder(tenant(req), String(req.params.type), String(req.params.id));
      if (!o) throw new SimError(404, 'unknown sales order');
      return state.patchSalesOrder(tenant(req), String(req.params.type), String(req.params.id), '*', req.body, { missing: 428, stale: 412 });
    }),
  );

  // Limits and counters.
  r.post(
    '/_control/ratelimit',
    route((req) => {
      const l = z.object({ perWindow: z.number().int().min(1), windowSeconds: z.number().int().min(1).default(3600) }).strict().parse(req.body);
      state.setRateLimit(l);
      return l;
    }),
  );
  r.get('/_control/stats', route(() => ({ ...state.stats, totalCalls: Object.values(state.stats.calls).reduce((a, b) => a + b, 0), totalWrites: Object.values(state.stats.writes).reduce((a, b) => a + b, 0) })));
  r.delete('/_control/stats', route(() => state.resetStats()));
  r.use(faults.routes());
  return r;
}

/**
 * Control API for tests, the demo and benchmarks (JSON, loopback only): tokens, tenants, customers,
 * directories, the stored items (with their hashes), call counts, reset. Fault routes come from the
 * shared FaultInjector.
 */
import express, { type Request, type Response } from 'express';
import { z } from 'zod';
import { demoData, emptyData } from './demo';
import { ValidationError, type MijnKantoorState } from './state';

const tokenSchema = z.object({ token: z.string().min(1), tenant: z.string().min(1) }).strict();
const tenantSchema = z.object({ id: z.string().min(1), name: z.string().optional() }).strict();
const customerSchema = z
  .object({
    number: z.union([z.string(), z.number()]).transform(String),
    name: z.string().min(1),
    type: z.enum(['business', 'person']).default('business'),
    kvk_number: z.string().nullable().default(null),
    email: z.string().nullable().default(null),
  })
  .strict();
const directorySchema = z.object({ name: z.string().min(1), parent_id: z.string().nullable().optional(), customer_id: z.string().nullable().optional(), id: z.string().optional() }).strict();

function fail(res: Response, err: unknown): void {
  if (err instanceof ValidationError) res.status(409).json({ error: err.message, errors: err.errors });
  else res.status(400).json({ error: err instanceof Error ? err.message : String(err), issues: err instanceof z.ZodError ? err.issues : undefined });
}

export function controlRouter(state: MijnKantoorState): express.Router {
  const r = express.Router();
  const json = express.json({ limit: '5mb' });
  const tenantOr404 = (req: Request, res: Response) => {
    const t = state.tenant(String(req.params.tenant));
    if (!t) res.status(404).json({ error: `tenant ${String(req.params.tenant)} not found` });
    return t;
  };

  r.post('/_control/reset', json, (req, res) => {
    state.load(req.body?.demo === false ? emptyData() : demoData());
    res.json({ ok: true });
  });
  r.get('/_control/state', (_req, res) => {
    res.json({ tenants: state.data.tenants.map((t) => ({ ...t, items: t.items.map(({ content: _c, ...i }) => i) })) });
  });
  r.post('/_control/tokens', json, (req, res) => {
    try {
      const p = tokenSchema.parse(req.body);
      state.data.tokens = state.data.tokens.filter((t) => t.token !== p.token).concat(p);
      res.json({ ok: true });
    } catch (err) {
      fail(res, err);
    }
  });
  r.delete('/_control/tokens/:token', (req, res) => {
    state.data.tokens = state.data.tokens.filter((t) => t.token !== req.params.token);
    res.json({ ok: true });
  });
  r.post('/_control/tenants', json, (req, res) => {
    try {
      const p = tenantSchema.parse(req.body);
      res.status(201).json(state.ensureTenant(p.id, p.name));
    } catch (err) {
      fail(res, err);
    }
  });
  r.get('/_control/tenants/:tenant/customers', (req, res) => {
    const t = tenantOr404(req, res);
    if (t) res.json(t.customers);
  });
  /** Body: one customer or a list. */
  r.post('/_control/tenants/:tenant/customers', json, (req, res) => {
    const t = tenantOr404(req, res);
    if (!t) return;
    try {
      const inputs: unknown[] = Array.isArray(req.body) ? req.body : [req.body];
      res.status(201).json(inputs.map((i) => state.addCustomer(t, { ...customerSchema.parse(i), address: null })));
    } catch (err) {
      fail(res, err);
    }
  });
  r.get('/_control/tenants/:tenant/contacts', (req, res) => {
    const t = tenantOr404(req, res);
    if (t) res.json(t.contacts);
  });
  r.post('/_control/tenants/:tenant/directories', json, (req, res) => {
    const t = tenantOr404(req, res);
    if (!t) return;
    try {
      const p = directorySchema.parse(req.body);
      const d = state.addDirectory(t, p);
      if (p.id) d.id = p.id;
      res.status(201).json({ ...d, is_leaf: state.isLeaf(t, d.id) });
    } catch (err) {
      fail(res, err);
    }
  });
  /** The stored files without their content: name, directory, year, period, sha256. */
  r.get('/_control/tenants/:tenant/items', (req, res) => {
    const t = tenantOr404(req, res);
    if (t) res.json(t.items.map(({ content: _c, ...i }) => i));
  });
  r.get('/_control/stats', (_req, res) => {
    const calls = state.data.calls;
    res.json({ calls, total: Object.values(calls).reduce((a, b) => a + b, 0) });
  });
  r.delete('/_control/stats', (_req, res) => {
    state.data.calls = {};
    res.json({ ok: true });
  });
  return r;
}

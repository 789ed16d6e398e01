/**
 * Control API for tests and the demo (JSON, loopback only): tokens, werkbonnen, status changes,
 * stored master data, reset and call counters. Fault routes come from the shared FaultInjector.
 */
import type { Request, Response } from 'express';
import express from 'express';
import { z } from 'zod';
import type { EntityName } from './records';
import type { StoredWorkorder, WerkbonAppState } from './state';
import { WORKORDER_STATUSES } from './status';
import { loopbackOnly } from '../../simulator-support/loopback';

export { loopbackOnly };

/** Loopback addresses, IPv4, IPv6 and IPv4-mapped IPv6. */
const tokensSchema = z.object({ tokens: z.array(z.string().min(1)) }).strict();
const resetSchema = z.object({ demo: z.boolean().default(true) }).strict();
const statusSchema = z.object({ status: z.enum(WORKORDER_STATUSES) }).strict();
const workstatusSchema = z.object({ workstatus: z.string() }).strict();
const completeSchema = z.object({ Workperiods: z.array(z.unknown()).optional(), Materials: z.array(z.unknown()).optional() });

function badRequest(res: Response, err: unknown): void {
  const issues = err instanceof z.ZodError ? err.issues : undefined;
  res.status(400).json({ error: err instanceof Error ? err.message : String(err), issues });
}

export function controlRouter(state: WerkbonAppState): express.Router {
  const r = express.Router();
  const json = express.json({ limit: '20mb' });

  const withWorkorder = (handler: (w: StoredWorkorder, req: Request, res: Response) => void) => (req: Request, res: Response) => {
    const w = state.findByAnyId(String(req.params.id));
    if (!w) {
      res.status(404).json({ error: `werkbon ${String(req.params.id)} not found` });
      return;
    }
    try {
      handler(w, req, res);
    } catch (err) {
      badRequest(res, err);
    }
  };

  r.get('/_control/tokens', (_req, res) => {
    res.json({ count: state.tokens.size });
  });
  r.post('/_control/tokens', json, (req, res) => {
    const p = tokensSchema.safeParse(req.body ?? {});
    if (!p.success) return badRequest(res, p.error);
    state.setTokens(p.data.tokens);
    res.json({ count: state.tokens.size });
  });

  r.post('/_control/reset', json, (req, res) => {
    const p = resetSchema.safeParse(req.body ?? {});
    if (!p.success) return badRequest(res, p.error);
    state.reset(p.data.demo);
    res.json({ ok: true, workorders: state.workorders.size });
  });

  r.get('/_control/workorders', (_req, res) => {
    res.json([...state.workorders.values()].sort((a, b) => a.rowId - b.rowId).map((w) => state.inspect(w)));
  });
  /** Body: one werkbon or an array, wire field names (see workorderInputSchema). */
  r.post('/_control/workorders', json, (req, res) => {
    const inputs: unknown[] = Array.isArray(req.body) ? req.body : [req.body];
    try {
      const added = inputs.map((i) => state.addWorkorder(i));
      res.status(201).json(added.map((w) => ({ row_id: w.rowId, workorder_no: w.wire.scalars.WorkorderNo })));
    } catch (err) {
      badRequest(res, err);
    }
  });
  r.get('/_control/workorders/:id', withWorkorder((w, _req, res) => res.json(state.inspect(w))));
  r.post('/_control/workorders/:id/complete', json, withWorkorder((w, req, res) => {
    const extra = completeSchema.parse(req.body ?? {});
    if (!state.complete(w, extra)) {
      res.status(409).json({ error: `werkbon ${w.rowId} is ${state.statusOf(w)}, cannot complete` });
      return;
    }
    res.json(state.inspect(w));
  }));
  r.post('/_control/workorders/:id/status', json, withWorkorder((w, req, res) => {
    const { status } = statusSchema.parse(req.body ?? {});
    if (!state.transition(w, status, 'control')) {
      res.status(409).json({ error: `werkbon ${w.rowId}: ${state.statusOf(w)} → ${status} is not allowed` });
      return;
    }
    res.json(state.inspect(w));
  }));
  r.post('/_control/workorders/:id/workstatus', json, withWorkorder((w, req, res) => {
    const { workstatus } = workstatusSchema.parse(req.body ?? {});
    w.wire.scalars.WorkStatus = workstatus;
    res.json(state.inspect(w));
  }));

  const entities: EntityName[] = ['relations', 'materials', 'hourtypes', 'workstatusses'];
  for (const name of entities) r.get(`/_control/${name}`, (_req, res) => res.json(state.list(name)));

  r.get('/_control/stats', (_req, res) => {
    const calls = Object.fromEntries([...state.calls.entries()].sort(([a], [b]) => a.localeCompare(b)));
    res.json({ calls, total: [...state.calls.values()].reduce((a, b) => a + b, 0) });
  });
  r.delete('/_control/stats', (_req, res) => {
    state.calls.clear();
    res.json({ ok: true });
  });
  return r;
}

/**
 * Visma.net ERP simulator: Visma Connect's token endpoint, the ERP API v1 and the SalesOrders API
 * v3 on one port, sharing one state (the real services live on three hosts: connect.visma.com,
 * api.finance.visma.net, salesorder.visma.net). A real HTTP server with demo data, a
 * loopback-only control API and fault injection.
 */
import express, { type NextFunction, type Request, type Response } from 'express';
import { FaultInjector } from '../../simulator-support/faults';
import { openStateFile, type Persister } from '../../simulator-support/persist';
import { serve } from '../../simulator-support/serve';
import { apiRouter, endpointOf, sendError } from './api';
import { controlRouter } from './control';
import { VismanetState } from './state';
import type { SimData } from './types';

export { VismanetState, unwrap } from './state';
export * from './demo';

export interface VismanetSimulator {
  /** Server root: token under /connect, ERP API under /v1, SalesOrders under /api/v3, control under /_control. */
  url: string;
  port: number;
  state: VismanetState;
  faults: FaultInjector;
  close(): Promise<void>;
}

const MALFORMED_SAMPLE = JSON.stringify([{ internalId: 1, number: '10001', name: 'Bouwgroep Noord B.V.', metadata: { totalCount: 1, maxPageSize: 1000 } }]);

export function createVismanetApp(state: VismanetState, faults: FaultInjector): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.use(controlRouter(state, faults));
  // Counted before faults, so benchmarks see every attempt, including the ones that failed.
  app.use((req: Request, _res: Response, next: NextFunction) => {
    const endpoint = endpointOf(req.method, req.path);
    if (endpoint) state.count(endpoint, false);
    next();
  });
  app.use(['/v1', '/api/v3'], faults.middleware(MALFORMED_SAMPLE, 'application/json; charset=utf-8'));
  app.use(apiRouter(state));
  app.use((_req: Request, res: Response) => sendError(res, 404, 'No HTTP resource was found that matches the request URI.'));
  app.use((_err: unknown, _req: Request, res: Response, _next: NextFunction) => sendError(res, 500, 'An error has occurred.'));
  return app;
}

export async function startVismanetSimulator(opts: { port?: number; host?: string; demo?: boolean; stateFile?: string } = {}): Promise<VismanetSimulator> {
  const state = new VismanetState({ demo: opts.demo ?? true });
  let persister: Persister | undefined;
  if (opts.stateFile) persister = openStateFile('vismanet', opts.stateFile, (saved) => state.load(saved as SimData), () => state.snapshot()).persister;
  const faults = new FaultInjector();
  const served = await serve(createVismanetApp(state, faults), { port: opts.port, host: opts.host, persister });
  return { url: served.url, port: served.port, state, faults, close: served.close };
}

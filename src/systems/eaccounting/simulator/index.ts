/**
 * Visma eAccounting simulator: the identity server (login, consent, company picker, token
 * endpoint) and API v2 on one port, sharing one state, so the tokens it issues are the ones its
 * API accepts. A real HTTP server with demo data, a loopback-only control API and fault injection.
 */
import express, { type NextFunction, type Request, type Response } from 'express';
import { FaultInjector } from '../../simulator-support/faults';
import { openStateFile, type Persister } from '../../simulator-support/persist';
import { serve } from '../../simulator-support/serve';
import { apiRouter, sendError } from './api';
import { controlRouter } from './control';
import { identityRouter } from './identity-server';
import { EaccountingState } from './state';
import type { SimData } from './types';

export { EaccountingState } from './state';
export * from './demo';

export interface EaccountingSimulator {
  /** Server root: identity under /connect, API under /v2, control under /_control. */
  url: string;
  port: number;
  state: EaccountingState;
  faults: FaultInjector;
  close(): Promise<void>;
}

const MALFORMED_SAMPLE = JSON.stringify({ Meta: { CurrentPage: 1, PageSize: 50 }, Data: [{ Id: '00000000-0000-0000-0000-000000000000' }] });

export function createEaccountingApp(state: EaccountingState, faults: FaultInjector): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(controlRouter(state, faults));
  app.use('/v2', faults.middleware(MALFORMED_SAMPLE, 'application/json; charset=utf-8'));
  app.use(identityRouter(state));
  app.use(apiRouter(state));
  app.use((_req: Request, res: Response) => sendError(res, 404, 3000, 'ResourceNotFoundException - Resource not found.'));
  app.use((_err: unknown, _req: Request, res: Response, _next: NextFunction) => sendError(res, 500, 5000, 'InternalServerError'));
  return app;
}

export async function startEaccountingSimulator(opts: { port?: number; host?: string; demo?: boolean; stateFile?: string } = {}): Promise<EaccountingSimulator> {
  const state = new EaccountingState({ demo: opts.demo ?? true });
  let persister: Persister | undefined;
  if (opts.stateFile) persister = openStateFile('eaccounting', opts.stateFile, (saved) => state.load(saved as SimData), () => state.snapshot()).persister;
  const faults = new FaultInjector();
  const served = await serve(createEaccountingApp(state, faults), { port: opts.port, host: opts.host, persister });
  return { url: served.url, port: served.port, state, faults, close: served.close };
}

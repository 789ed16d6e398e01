/**
 * Mijn Kantoor Public API simulator (REST, `/v1`): a real HTTP server with demo data, a
 * loopback-only control API, fault injection and an optional state file.
 */
import express, { type NextFunction, type Request, type Response } from 'express';
import { FaultInjector } from '../../simulator-support/faults';
import { loopbackOnly } from '../../simulator-support/loopback';
import { openStateFile, type Persister } from '../../simulator-support/persist';
import { serve } from '../../simulator-support/serve';
import { apiRouter, endpointOf } from './api';
import { controlRouter } from './control';
import { demoData, emptyData } from './demo';
import { errorBody } from './inferred';
import { MijnKantoorState, type MijnKantoorData } from './state';

export { MijnKantoorState } from './state';
export type * from './state';
export { DEMO_DIRECTORIES, DEMO_TENANT, DEMO_TOKEN, demoData } from './demo';

export interface MijnKantoorSimulatorOptions {
  /** 0 (default) = a free port. */
  port?: number;
  host?: string;
  /** Load the demo office (default true). */
  demo?: boolean;
  /** Keep the state in this JSON file (loaded at start when it exists, saved after changing requests). */
  stateFile?: string;
}

export interface MijnKantoorSimulator {
  /** Server root; the API is `${url}/v1`, the control API `${url}/_control`. */
  url: string;
  port: number;
  state: MijnKantoorState;
  faults: FaultInjector;
  close(): Promise<void>;
}

const MALFORMED_SAMPLE = JSON.stringify({ data: [{ id: 'cus_000001', number: '0001', name: 'EB Bedrijf B.V.', type: 'business' }], meta: {} });

export async function startMijnKantoorSimulator(opts: MijnKantoorSimulatorOptions = {}): Promise<MijnKantoorSimulator> {
  const state = new MijnKantoorState(opts.demo === false ? emptyData() : demoData());
  let persister: Persister | undefined;
  if (opts.stateFile) {
    persister = openStateFile('mijnkantoor', opts.stateFile, (saved) => state.load(saved as MijnKantoorData), () => state.snapshot()).persister;
  }
  const faults = new FaultInjector();
  const app = express();
  app.disable('x-powered-by');
  app.use('/_control', loopbackOnly);
  app.use(faults.routes());
  app.use(controlRouter(state));
  // Counted before faults, so benchmarks see every attempt.
  app.use((req: Request, _res: Response, next: NextFunction) => {
    const endpoint = endpointOf(req.method, req.path);
    if (endpoint) state.countCall(endpoint);
    next();
  });
  app.use(faults.middleware(MALFORMED_SAMPLE, 'application/json; charset=utf-8'));
  app.use(apiRouter(state));
  app.use((req: Request, res: Response) => {
    res.status(404).json(errorBody('not_found', `Onbekend endpoint ${req.method} ${req.path}`));
  });
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    res.status(500).json(errorBody('server_error', err instanceof Error ? err.message : 'Server Error'));
  });
  const served = await serve(app, { port: opts.port, host: opts.host, persister });
  return { url: served.url, port: served.port, state, faults, close: served.close };
}

/**
 * e-Boekhouden.nl SOAP simulator: a real HTTP server at /soap.asmx speaking the WSDL in
 * src/systems/eboekhouden/wsdl/soap.wsdl, with demo data, a loopback-only control API
 * (/_control/...) and fault injection (/_control/faults).
 */
import { FaultInjector } from '../../simulator-support/faults';
import { openStateFile, type Persister } from '../../simulator-support/persist';
import { serve } from '../../simulator-support/serve';
import { loadDemo, loadEmpty } from './demo';
import { createApp } from './server';
import { EboekhoudenState, type EboekhoudenSnapshot, type UserInput } from './state';
import { loadSchemaModel } from './wsdl-model';

export { EboekhoudenState, DEFAULT_SESSION_IDLE_MS, type UserInput, type EboekhoudenSnapshot, type AdministratieSnapshot } from './state';
export * from './demo';
export type * from './types';

export interface EboekhoudenSimulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Load the demo administration and user (default true); false starts empty. */
  demo?: boolean;
  /** Extra users; each without administratieGuids gets its own administration (demo master data when demo). */
  users?: UserInput[];
  /** Idle time after which a session answers E0023 (default 10 minutes). */
  sessionIdleMs?: number;
  /** GetMutaties calls allowed per administration per month (default 5,000). */
  getMutatiesMonthlyLimit?: number;
  /** Clock for session expiry and default dates. */
  now?: () => Date;
  /**
   * Keep administrations and users in this JSON file: loaded at start when it exists (instead of
   * the demo/empty data; `users` are still upserted on top), written at start when it does not,
   * and saved after every changing request and on close(). Sessions are not kept.
   */
  stateFile?: string;
}

export interface EboekhoudenSimulator {
  /** Base URL, e.g. http://127.0.0.1:4102 — the SOAP endpoint is `${url}/soap.asmx`. */
  url: string;
  port: number;
  state: EboekhoudenState;
  faults: FaultInjector;
  close(): Promise<void>;
}

export async function startEboekhoudenSimulator(opts: EboekhoudenSimulatorOptions = {}): Promise<EboekhoudenSimulator> {
  const state = new EboekhoudenState(opts);
  (opts.demo === false ? loadEmpty : loadDemo)(state);
  let persister: Persister | undefined;
  if (opts.stateFile) {
    // loadDemo/loadEmpty above chose what new administrations are seeded with; load keeps that.
    persister = openStateFile('eboekhouden', opts.stateFile, (saved) => state.load(saved as EboekhoudenSnapshot), () => state.snapshot()).persister;
  }
  for (const u of opts.users ?? []) state.upsertUser(u);
  persister?.flush();
  const faults = new FaultInjector();
  const app = createApp(loadSchemaModel(), state, faults);
  const served = await serve(app, { port: opts.port, host: opts.host, persister });
  return { url: served.url, port: served.port, state, faults, close: served.close };
}

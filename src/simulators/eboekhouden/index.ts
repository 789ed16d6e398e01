/**
 * e-Boekhouden.nl SOAP simulator: a real HTTP server at /soap.asmx speaking the WSDL in
 * src/connectors/eboekhouden/wsdl/soap.wsdl, with demo data, a loopback-only control API
 * (/_control/...) and fault injection (/_control/faults).
 */
import type { AddressInfo } from 'node:net';
import { FaultInjector } from '../faults';
import { loadDemo, loadEmpty } from './demo';
import { createApp } from './server';
import { EboekhoudenState, type UserInput } from './state';
import { loadSchemaModel } from './wsdl-model';

export { EboekhoudenState, DEFAULT_SESSION_IDLE_MS, type UserInput } from './state';
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
  for (const u of opts.users ?? []) state.upsertUser(u);
  const faults = new FaultInjector();
  const app = createApp(loadSchemaModel(), state, faults);
  const host = opts.host ?? '127.0.0.1';
  const server = await new Promise<import('node:http').Server>((resolve, reject) => {
    const s = app.listen(opts.port ?? 0, host, (err?: Error) => (err ? reject(err) : resolve(s)));
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    state,
    faults,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

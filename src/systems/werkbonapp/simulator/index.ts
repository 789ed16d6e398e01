/**
 * WerkbonApp Open API simulator: a real HTTP server speaking the JSON envelope protocol, with demo
 * data, a loopback-only control API and fault injection.
 */
import { FaultInjector } from '../../simulator-support/faults';
import { openStateFile, type Persister } from '../../simulator-support/persist';
import { serve } from '../../simulator-support/serve';
import { createWerkbonAppApp } from './app';
import { WerkbonAppState, type WerkbonAppSnapshot } from './state';
import { API_VERSION } from './inferred';

export { WerkbonAppState, type WerkbonAppSnapshot } from './state';
export { DEMO_CATALOG, DEMO_RELEASE_WORKSTATUS, DEMO_TOKEN } from './demo';

/** API version in the path: a guess (API_VERSION, inferred.ts). */
export const SIMULATOR_API_VERSION = API_VERSION;

export interface WerkbonAppSimulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  /** Load the demo account (default true). */
  demo?: boolean;
  /** Valid API tokens (default: the demo token; with a stateFile, the saved tokens). */
  tokens?: string[];
  /**
   * Keep the account in this JSON file: loaded at start when it exists (instead of the demo/empty
   * data), written at start when it does not, and saved after every changing request (including
   * GetWorkorders with update_status) and on close().
   */
  stateFile?: string;
}

export interface WerkbonAppSimulator {
  /** Server root; control API under `${url}/_control/...`. */
  url: string;
  /** Open API base, `${url}/openapi/8`: what the connector's baseUrl takes (it also accepts `url`). */
  apiUrl: string;
  port: number;
  state: WerkbonAppState;
  faults: FaultInjector;
  close(): Promise<void>;
}

export async function startWerkbonAppSimulator(opts: WerkbonAppSimulatorOptions = {}): Promise<WerkbonAppSimulator> {
  const state = new WerkbonAppState({ demo: opts.demo ?? true, tokens: opts.tokens });
  let persister: Persister | undefined;
  if (opts.stateFile) {
    const restore = (saved: unknown) => {
      state.load(saved as WerkbonAppSnapshot);
      if (opts.tokens) state.setTokens(opts.tokens);
    };
    persister = openStateFile('werkbonapp', opts.stateFile, restore, () => state.snapshot()).persister;
  }
  const faults = new FaultInjector();
  const served = await serve(createWerkbonAppApp(state, faults), { port: opts.port, host: opts.host, persister });
  return {
    url: served.url,
    apiUrl: `${served.url}/openapi/${SIMULATOR_API_VERSION}`,
    port: served.port,
    state,
    faults,
    close: served.close,
  };
}

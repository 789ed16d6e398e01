/**
 * Visma Nmbrs SOAP v3 simulator: CompanyService and DebtorService over HTTP, plus the loopback
 * control API. Start it with `startNmbrsSimulator()` (tests, demo) or `main.ts` (standalone).
 */
import express from 'express';
import { FaultInjector } from '../../simulator-support/faults';
import { openStateFile, type Persister } from '../../simulator-support/persist';
import { serve } from '../../simulator-support/serve';
import { controlRouter } from './control';
import { demoData, emptyData, type NmbrsData } from './demo';
import { SERVICES } from './operations';
import { responseEnvelope } from './soap-xml';
import { soapRouter } from './soap-server';
import { NmbrsState } from './state';
import { CallStats } from './stats';
import type { NmbrsUser } from './types';

export { NmbrsState, StateError } from './state';
export type { CompanyInput, DebtorInput, RunInput } from './state';
export { CallStats } from './stats';
export { DEMO_USER, DEMO_DEBTOR_ID, DEMO_RUN_IDS, DEMO_YEAR, EB_BEDRIJF_ID, BAKKERIJ_ID, demoData } from './demo';
export type { NmbrsData } from './demo';
export type * from './types';

export interface NmbrsSimulatorOptions {
  /** 0 (default) = a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Load the demo data (default true). */
  demo?: boolean;
  /** Replace the users (the demo user otherwise; with a stateFile, the saved users). */
  users?: NmbrsUser[];
  /**
   * Keep the state in this JSON file: loaded at start when it exists (instead of the demo/empty
   * data), written at start when it does not, and saved after every changing request and on close().
   */
  stateFile?: string;
}

export interface NmbrsSimulator {
  url: string;
  port: number;
  state: NmbrsState;
  stats: CallStats;
  faults: FaultInjector;
  close(): Promise<void>;
}

/** What a broken answer looks like: the first half of a real response (the injector truncates it). */
const MALFORMED_SAMPLE = responseEnvelope(
  '1.1',
  SERVICES.CompanyService,
  'List_GetAll',
  '<Company><ID>1001</ID><Number>1</Number><Name>EB Bedrijf</Name><LoonaangifteTijdvak>Month</LoonaangifteTijdvak></Company>',
);

export async function startNmbrsSimulator(opts: NmbrsSimulatorOptions = {}): Promise<NmbrsSimulator> {
  const data = opts.demo === false ? emptyData() : demoData();
  if (opts.users) data.users = opts.users;
  const state = new NmbrsState(data);
  let persister: Persister | undefined;
  if (opts.stateFile) {
    const restore = (saved: unknown) => {
      state.load(saved as NmbrsData);
      if (opts.users) state.replaceUsers(opts.users);
    };
    persister = openStateFile('nmbrs', opts.stateFile, restore, () => state.snapshot()).persister;
  }
  const stats = new CallStats();
  const faults = new FaultInjector();

  const app = express();
  app.disable('x-powered-by');
  app.use(controlRouter(state, stats, faults));
  app.use(faults.middleware(MALFORMED_SAMPLE));
  app.use(soapRouter(state, stats));

  const served = await serve(app, { port: opts.port, host: opts.host, persister });
  return { url: served.url, port: served.port, state, stats, faults, close: served.close };
}

/**
 * The reading side of the Nmbrs → eAccounting koppeling, shared by its activities and the admin
 * API's run overview: the koppeling and its clients (credentials read at call time, the Visma
 * token refreshed by the platform), the runs in range with their journals, and the ledger per run.
 */
import type { JournalRun, JournalTx } from '../../src/koppelingen/nmbrs-eboekhouden/domain/journal-mutatie';
import { NMBRS_EACCOUNTING, nmbrsEaccountingSettings, type NmbrsEaccountingSettings } from '../../src/koppelingen/nmbrs-eaccounting/settings';
import { createEaccountingClient, type EaccountingClient } from '../../src/systems/eaccounting/client';
import type { NmbrsClient, RunInfo } from '../../src/systems/nmbrs/client';
import type { KoppelingDoc, LedgerDoc } from '../../src/store/types';
import type { ActivityDeps } from '../deps';
import { inspectRun, ledgerByRun as journalLedger, nmbrsClientFor, runDocs as journalRunDocs, runsInRange as journalRuns } from '../nmbrs-journal';
import { loadKoppeling, missingCredentials, retrying } from '../support';
import { LOCKED_JOURNAL, VOUCHER } from './contract';

const SNAPSHOTS = 'eaccountingJournalSnapshots';
const SEND_REQUESTS = 'eaccountingSendRequests';

export interface SnapshotDoc {
  _id: string;
  koppelingId: string;
  runKey: string;
  hash: string;
  run: JournalRun;
  companyName?: string;
  txs: JournalTx[];
  createdAt: Date;
}

export interface SendRequestDoc {
  _id: string;
  koppelingId: string;
  runId: number;
  requestedAt: Date;
}

export interface Loaded {
  k: KoppelingDoc;
  settings: NmbrsEaccountingSettings;
}

export interface VoucherMeta {
  runKey: string;
  runId: number;
  year: number;
  companyId: number;
  runNumber: number;
  period: string;
  role: 'boeking' | 'tegenboeking';
  version: number;
  tx: number;
  txCount: number;
  runHash: string;
  date: string;
  text: string;
  rows: Array<{ account: string; cents: number; text: string }>;
  fiscalYearId?: string;
  voucherNumber?: string;
  cycleNo?: number;
}

export const meta = (d: LedgerDoc) => d.meta as unknown as VoucherMeta;

/**
 * Reads that are the same for every run of one cycle (fiscal years, company settings, the chart
 * of accounts per year), kept per koppeling and cycle in this worker process for a few minutes: a
 * cycle's runs cost one POST per voucher instead of three reads each. A new cycle reads afresh.
 */
const CYCLE_CACHE_MS = 5 * 60_000;
const cycleCache = new Map<string, { at: number; value: Promise<unknown> }>();

export function perCycle<T>(key: string, read: () => Promise<T>): Promise<T> {
  const now = Date.now();
  for (const [k, v] of cycleCache) if (now - v.at > CYCLE_CACHE_MS) cycleCache.delete(k);
  const hit = cycleCache.get(key);
  if (hit) return hit.value as Promise<T>;
  const value = read();
  cycleCache.set(key, { at: now, value });
  // A failed read is not kept: the next run (or retry) asks again.
  value.catch(() => cycleCache.delete(key));
  return value;
}

export function reader(deps: ActivityDeps) {
  const snapshots = () => deps.store.db.collection<SnapshotDoc>(SNAPSHOTS);
  const sendRequests = () => deps.store.db.collection<SendRequestDoc>(SEND_REQUESTS);

  const load = (koppelingId: string): Promise<Loaded> => loadKoppeling(deps, koppelingId, NMBRS_EACCOUNTING, nmbrsEaccountingSettings);

  const nmbrsClient = (l: Loaded): Promise<NmbrsClient> => nmbrsClientFor(deps, l.k._id, l.settings.nmbrsTimeoutMs);

  /** The token is read per call (refreshed by the platform); a refused one is invalidated first. */
  function eaClient(l: Loaded): EaccountingClient {
    return createEaccountingClient({
      baseUrl: deps.config.EACCOUNTING_BASE_URL,
      timeoutMs: l.settings.eaccountingTimeoutMs,
      token: {
        get: async () => {
          const creds = await deps.credentials.read<{ accessToken: string }>(l.k._id, 'eaccounting');
          if (!creds?.accessToken) throw missingCredentials('eaccounting');
          return creds.accessToken;
        },
        refused: (token) => deps.credentials.refusedToken(l.k._id, 'eaccounting', token),
      },
    });
  }

  const runsInRange = (client: NmbrsClient, s: NmbrsEaccountingSettings) => journalRuns(client, s);

  async function companyName(client: NmbrsClient, companyId: number): Promise<string | undefined> {
    const all = await retrying(() => client.listCompanies());
    return all.find((c) => c.id === companyId)?.name;
  }

  const inspect = (client: NmbrsClient, s: NmbrsEaccountingSettings, info: RunInfo) => inspectRun(client, s, info);
  /** Ledger per run: voucher entries and journal hashes already reported as locked. */
  const ledgerByRun = (koppelingId: string) => journalLedger(deps, koppelingId, VOUCHER, LOCKED_JOURNAL);
  const runDocs = (koppelingId: string, key: string) => journalRunDocs(deps, koppelingId, VOUCHER, key);

  return { snapshots, sendRequests, load, nmbrsClient, eaClient, runsInRange, companyName, inspect, ledgerByRun, runDocs };
}

export type Reader = ReturnType<typeof reader>;

/**
 * The reading side of the Nmbrs → eAccounting koppeling, shared by its activities and the admin
 * API's run overview: the koppeling and its clients (credentials read at call time, the Visma
 * token refreshed by the platform), the runs in range with their journals, and the ledger per run.
 */
import { localParts } from '../../src/domain/cadence';
import { KoppelError } from '../../src/domain/errors';
import { compactJournal, journalHash, type JournalRun, type JournalTx } from '../../src/koppelingen/nmbrs-eboekhouden/domain/journal-mutatie';
import { NMBRS_EACCOUNTING, nmbrsEaccountingSettings, type NmbrsEaccountingSettings } from '../../src/koppelingen/nmbrs-eaccounting/settings';
import { createEaccountingClient, type EaccountingClient } from '../../src/systems/eaccounting/client';
import { createNmbrsClient, type NmbrsClient, type RunInfo } from '../../src/systems/nmbrs/client';
import type { NmbrsCredentials } from '../../src/systems/nmbrs/system';
import type { KoppelingDoc, LedgerDoc } from '../../src/store/types';
import type { ActivityDeps } from '../deps';
import { heartbeat, missingCredentials, retrying } from '../support';
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

  async function load(koppelingId: string): Promise<Loaded> {
    const k = await deps.koppelingen.get(koppelingId);
    if (!k) {
      throw new KoppelError({ type: 'InvalidData', system: 'koppelwerk', message: `koppeling ${koppelingId} not found`, oorzaak: `Koppeling ${koppelingId} bestaat niet (meer).`, oplossing: 'Geen actie nodig als de koppeling bewust is verwijderd.' });
    }
    if (k.type !== NMBRS_EACCOUNTING) throw new Error(`koppeling ${koppelingId} is of type ${k.type}`);
    return { k, settings: nmbrsEaccountingSettings.parse(k.settings) };
  }

  async function nmbrsClient(l: Loaded): Promise<NmbrsClient> {
    const creds = await deps.credentials.read<NmbrsCredentials>(l.k._id, 'nmbrs');
    if (!creds) throw missingCredentials('nmbrs');
    return createNmbrsClient({ baseUrl: deps.config.NMBRS_BASE_URL, credentials: { username: creds.username, token: creds.token, domain: creds.domain ?? '' }, timeoutMs: l.settings.nmbrsTimeoutMs });
  }

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

  async function runsInRange(client: NmbrsClient, s: NmbrsEaccountingSettings): Promise<RunInfo[]> {
    const thisYear = localParts(new Date()).year;
    const runs: RunInfo[] = [];
    for (let year = s.syncFromYear; year <= thisYear; year++) {
      heartbeat();
      const list = await retrying(() => client.listRuns(s.nmbrsCompanyId, year));
      runs.push(...list.filter((r) => r.year > s.syncFromYear || r.periodEnd >= s.syncFromPeriod));
    }
    return runs.sort((a, b) => a.year - b.year || a.periodStart - b.periodStart || a.id - b.id);
  }

  async function companyName(client: NmbrsClient, companyId: number): Promise<string | undefined> {
    const all = await retrying(() => client.listCompanies());
    return all.find((c) => c.id === companyId)?.name;
  }

  async function inspect(client: NmbrsClient, s: NmbrsEaccountingSettings, info: RunInfo) {
    const journal = await retrying(() => client.getJournal(s.nmbrsCompanyId, info.id, info.year));
    const run: JournalRun = {
      companyId: s.nmbrsCompanyId,
      runId: info.id,
      year: info.year,
      number: info.number,
      periodStart: info.periodStart,
      periodEnd: info.periodEnd,
      ...(info.description ? { description: info.description } : {}),
    };
    const txs = compactJournal(journal);
    return { info, run, txs, hash: journalHash(txs) };
  }

  /** Ledger per run: voucher entries and journal hashes already reported as locked. */
  async function ledgerByRun(koppelingId: string) {
    const [docs, locked] = await Promise.all([deps.ledger.list({ koppelingId, entity: VOUCHER }), deps.ledger.list({ koppelingId, entity: LOCKED_JOURNAL, status: 'skipped' })]);
    const byRun = new Map<string, { docs: LedgerDoc[]; locked: Set<string> }>();
    const of = (key: string) => byRun.get(key) ?? byRun.set(key, { docs: [], locked: new Set() }).get(key)!;
    for (const d of docs) of(meta(d).runKey).docs.push(d);
    for (const d of locked) of(String(d.meta.runKey)).locked.add(d.contentHash);
    return byRun;
  }

  function runDocs(koppelingId: string, key: string): Promise<LedgerDoc[]> {
    return deps.store.c.ledger.find({ koppelingId, entity: VOUCHER, 'meta.runKey': key }).sort({ createdAt: 1 }).toArray();
  }

  return { snapshots, sendRequests, load, nmbrsClient, eaClient, runsInRange, companyName, inspect, ledgerByRun, runDocs };
}

export type Reader = ReturnType<typeof reader>;

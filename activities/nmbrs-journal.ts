/**
 * What the koppelingen that send Nmbrs loonjournaalposten somewhere (nmbrs-eboekhouden,
 * nmbrs-eaccounting) read the same way: the Nmbrs client from the koppeling's credentials, the runs
 * in the sync range, a run's journal compacted and hashed, and the ledger per run. Each koppeling's
 * reader binds these to its own settings and ledger entities.
 */
import { localParts } from '../src/domain/cadence';
import { compactJournal, journalHash, type JournalRun, type JournalTx } from '../src/koppelingen/nmbrs-eboekhouden/domain/journal-mutatie';
import type { LedgerDoc } from '../src/store/types';
import { createNmbrsClient, type NmbrsClient, type RunInfo } from '../src/systems/nmbrs/client';
import type { NmbrsCredentials } from '../src/systems/nmbrs/system';
import type { ActivityDeps } from './deps';
import { heartbeat, missingCredentials, retrying } from './support';

/** The settings every Nmbrs-journal koppeling has. */
export interface JournalSource {
  nmbrsCompanyId: number;
  syncFromYear: number;
  syncFromPeriod: number;
}

export interface InspectedRun {
  info: RunInfo;
  run: JournalRun;
  txs: JournalTx[];
  hash: string;
}

/** The Nmbrs client for these credentials. */
export function nmbrsClientWith(deps: Pick<ActivityDeps, 'config'>, creds: Readonly<Record<string, string | undefined>>, timeoutMs?: number): NmbrsClient {
  return createNmbrsClient({ baseUrl: deps.config.NMBRS_BASE_URL, credentials: { username: creds.username ?? '', token: creds.token ?? '', domain: creds.domain ?? '' }, timeoutMs });
}

/** The Nmbrs client with the koppeling's credentials, read now (never kept in workflow state). */
export async function nmbrsClientFor(deps: ActivityDeps, koppelingId: string, timeoutMs?: number): Promise<NmbrsClient> {
  const creds = await deps.credentials.read<NmbrsCredentials>(koppelingId, 'nmbrs');
  if (!creds) throw missingCredentials('nmbrs');
  return nmbrsClientWith(deps, creds, timeoutMs);
}

/** The company's runs from the start year/period up to this year (Amsterdam), oldest first. */
export async function runsInRange(client: NmbrsClient, s: JournalSource): Promise<RunInfo[]> {
  const thisYear = localParts(new Date()).year;
  const runs: RunInfo[] = [];
  for (let year = s.syncFromYear; year <= thisYear; year++) {
    heartbeat();
    const list = await retrying(() => client.listRuns(s.nmbrsCompanyId, year));
    runs.push(...list.filter((r) => r.year > s.syncFromYear || r.periodEnd >= s.syncFromPeriod));
  }
  return runs.sort((a, b) => a.year - b.year || a.periodStart - b.periodStart || a.id - b.id);
}

/** One run's journal, compacted to its transactions, and the hash that says whether it changed. */
export async function inspectRun(client: NmbrsClient, s: JournalSource, info: RunInfo): Promise<InspectedRun> {
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

/**
 * What an idle probe compares (activities/<type>/probe.ts): every run in range as Run_GetList shows
 * it, plus the journal hash of each run a cycle would send (locked runs; all with lockedRunsOnly off),
 * since Nmbrs recalculates journals in place without a sign in Run_GetList.
 */
export async function runsFingerprint(client: NmbrsClient, s: JournalSource & { lockedRunsOnly: boolean }): Promise<unknown[]> {
  const seen: unknown[] = [];
  for (const info of await runsInRange(client, s)) {
    const run = [info.id, info.number, info.year, info.periodStart, info.periodEnd, info.runAt, info.isLocked, info.description ?? ''];
    if (s.lockedRunsOnly && !info.isLocked) seen.push(run);
    else seen.push([...run, (await inspectRun(client, s, info)).hash]);
  }
  return seen;
}

/**
 * The ledger per run key: the entries written to the target (`written`) and the journal hashes
 * deliberately not sent (`notSent` entries, status skipped: a closed or locked period).
 */
export async function ledgerByRun(deps: ActivityDeps, koppelingId: string, written: string, notSent: string) {
  const [docs, skipped] = await Promise.all([deps.ledger.list({ koppelingId, entity: written }), deps.ledger.list({ koppelingId, entity: notSent, status: 'skipped' })]);
  const byRun = new Map<string, { docs: LedgerDoc[]; notSent: Set<string> }>();
  const of = (key: string) => byRun.get(key) ?? byRun.set(key, { docs: [], notSent: new Set() }).get(key)!;
  for (const d of docs) of(String(d.meta.runKey)).docs.push(d);
  for (const d of skipped) of(String(d.meta.runKey)).notSent.add(d.contentHash);
  return byRun;
}

/** One run's written entries, oldest first. */
export function runDocs(deps: ActivityDeps, koppelingId: string, written: string, runKey: string): Promise<LedgerDoc[]> {
  return deps.store.c.ledger.find({ koppelingId, entity: written, 'meta.runKey': runKey }).sort({ createdAt: 1 }).toArray();
}

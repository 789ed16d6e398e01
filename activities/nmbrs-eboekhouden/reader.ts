/**
 * The reading side of the Nmbrs → e-Boekhouden koppeling, shared by the activities and by the admin
 * API's preview and mapping check: the koppeling and its clients (credentials read at call time),
 * the runs in range with their journals, and the ledger per run.
 */
import { createEboekhoudenClient, type EboekhoudenSession } from '../../src/systems/eboekhouden/client';
import { createNmbrsClient, type NmbrsClient, type RunInfo } from '../../src/systems/nmbrs/client';
import { localParts } from '../../src/domain/cadence';
import { KoppelError } from '../../src/domain/errors';
import { compactJournal, journalHash, type JournalRun, type JournalTx } from '../../src/koppelingen/nmbrs-eboekhouden/domain/journal-mutatie';
import {
  NMBRS_EBOEKHOUDEN,
  nmbrsEboekhoudenSettings,
  type NmbrsEboekhoudenSettings,
} from '../../src/koppelingen/nmbrs-eboekhouden/settings';
import type { EboekhoudenCredentials } from '../../src/systems/eboekhouden/system';
import type { NmbrsCredentials } from '../../src/systems/nmbrs/system';
import type { KoppelingDoc, LedgerDoc } from '../../src/store/types';
import type { ActivityDeps } from '../deps';
import { heartbeat, missingCredentials, retrying } from '../support';
import { LOONJOURNAAL, MEMORIAAL } from './contract';
import { meta } from './ledger-entries';

/** Staged journals between the scan and the e-Boekhouden activities (one cycle's worth). */
const SNAPSHOTS = 'journalSnapshots';

export interface SnapshotDoc {
  _id: string;
  koppelingId: string;
  runKey: string;
  hash: string;
  run: JournalRun;
  txs: JournalTx[];
  createdAt: Date;
}

export interface Loaded {
  k: KoppelingDoc;
  settings: NmbrsEboekhoudenSettings;
}

export interface InspectedRun {
  info: RunInfo;
  run: JournalRun;
  txs: JournalTx[];
  hash: string;
}

export function reader(deps: ActivityDeps) {
  const snapshots = () => deps.store.db.collection<SnapshotDoc>(SNAPSHOTS);

  async function load(koppelingId: string): Promise<Loaded> {
    const k = await deps.koppelingen.get(koppelingId);
    if (!k) {
      throw new KoppelError({
        type: 'InvalidData',
        system: 'koppelwerk',
        message: `koppeling ${koppelingId} not found`,
        oorzaak: `Koppeling ${koppelingId} bestaat niet (meer).`,
        oplossing: 'Geen actie nodig als de koppeling bewust is verwijderd.',
      });
    }
    if (k.type !== NMBRS_EBOEKHOUDEN) throw new Error(`koppeling ${koppelingId} is of type ${k.type}`);
    return { k, settings: nmbrsEboekhoudenSettings.parse(k.settings) };
  }

  async function nmbrsClient(l: Loaded): Promise<NmbrsClient> {
    const creds = await deps.credentials.read<NmbrsCredentials>(l.k._id, 'nmbrs');
    if (!creds) throw missingCredentials('nmbrs');
    return createNmbrsClient({
      baseUrl: deps.config.NMBRS_BASE_URL,
      credentials: { username: creds.username, token: creds.token, domain: creds.domain ?? '' },
      timeoutMs: l.settings.nmbrsTimeoutMs,
    });
  }

  async function ebClient(l: Loaded) {
    const creds = await deps.credentials.read<EboekhoudenCredentials>(l.k._id, 'eboekhouden');
    if (!creds) throw missingCredentials('eboekhouden');
    return createEboekhoudenClient({
      baseUrl: deps.config.EBOEKHOUDEN_BASE_URL,
      credentials: creds,
      timeoutMs: l.settings.eboekhoudenTimeoutMs,
      ...(l.settings.administratieGuid ? { administratieGuid: l.settings.administratieGuid } : {}),
    });
  }

  /** The company's runs from the start year/period up to this year (Amsterdam), oldest first. */
  async function runsInRange(client: NmbrsClient, s: NmbrsEboekhoudenSettings): Promise<RunInfo[]> {
    const thisYear = localParts(new Date()).year;
    const runs: RunInfo[] = [];
    for (let year = s.syncFromYear; year <= thisYear; year++) {
      heartbeat();
      const list = await retrying(() => client.listRuns(s.nmbrsCompanyId, year));
      runs.push(...list.filter((r) => r.year > s.syncFromYear || r.periodEnd >= s.syncFromPeriod));
    }
    return runs.sort((a, b) => a.year - b.year || a.periodStart - b.periodStart || a.id - b.id);
  }

  async function inspect(client: NmbrsClient, s: NmbrsEboekhoudenSettings, info: RunInfo): Promise<InspectedRun> {
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

  /** Ledger state per run: memoriaal entries, and journal hashes skipped for a closed period. */
  async function ledgerByRun(koppelingId: string) {
    const [docs, skipped] = await Promise.all([
      deps.ledger.list({ koppelingId, entity: MEMORIAAL }),
      deps.ledger.list({ koppelingId, entity: LOONJOURNAAL, status: 'skipped' }),
    ]);
    const byRun = new Map<string, { docs: LedgerDoc[]; skipped: Set<string> }>();
    const of = (key: string) => byRun.get(key) ?? byRun.set(key, { docs: [], skipped: new Set() }).get(key)!;
    for (const d of docs) of(meta(d).runKey).docs.push(d);
    for (const d of skipped) of(String(d.meta.runKey)).skipped.add(d.contentHash);
    return byRun;
  }

  function runDocs(koppelingId: string, key: string): Promise<LedgerDoc[]> {
    return deps.store.c.ledger.find({ koppelingId, entity: MEMORIAAL, 'meta.runKey': key }).sort({ createdAt: 1 }).toArray();
  }

  return { snapshots, load, nmbrsClient, ebClient, runsInRange, inspect, ledgerByRun, runDocs };
}

/** Find an earlier booking by its reference (GetMutaties filters on Factuurnummer). */
export async function lookupMutatie(session: EboekhoudenSession, reference: string): Promise<string | undefined> {
  const found = await retrying(() => session.getMutaties({ factuurnummer: reference }));
  const m = found.find((x) => x.boekstuk === reference || x.factuurnummer === reference);
  return m ? String(m.mutatieNr) : undefined;
}

export type Reader = ReturnType<typeof reader>;

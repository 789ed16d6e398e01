/**
 * The reading side of the Nmbrs → e-Boekhouden koppeling, shared by the activities and by the admin
 * API's preview and mapping check: the koppeling and its clients (credentials read at call time),
 * the runs in range with their journals, and the ledger per run.
 */
import { createEboekhoudenClient, type EboekhoudenSession } from '../../src/systems/eboekhouden/client';
import type { NmbrsClient, RunInfo } from '../../src/systems/nmbrs/client';
import type { JournalRun, JournalTx } from '../../src/koppelingen/nmbrs-eboekhouden/domain/journal-mutatie';
import {
  NMBRS_EBOEKHOUDEN,
  nmbrsEboekhoudenSettings,
  type NmbrsEboekhoudenSettings,
} from '../../src/koppelingen/nmbrs-eboekhouden/settings';
import type { EboekhoudenCredentials } from '../../src/systems/eboekhouden/system';
import type { KoppelingDoc } from '../../src/store/types';
import type { ActivityDeps } from '../deps';
import { inspectRun, ledgerByRun as journalLedger, nmbrsClientFor, runDocs as journalRunDocs, runsInRange as journalRuns } from '../nmbrs-journal';
import { loadKoppeling, missingCredentials, retrying } from '../support';

export type { InspectedRun } from '../nmbrs-journal';
import { LOONJOURNAAL, MEMORIAAL } from './contract';

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

export function reader(deps: ActivityDeps) {
  const snapshots = () => deps.store.db.collection<SnapshotDoc>(SNAPSHOTS);

  const load = (koppelingId: string): Promise<Loaded> => loadKoppeling(deps, koppelingId, NMBRS_EBOEKHOUDEN, nmbrsEboekhoudenSettings);

  const nmbrsClient = (l: Loaded): Promise<NmbrsClient> => nmbrsClientFor(deps, l.k._id, l.settings.nmbrsTimeoutMs);

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

  const runsInRange = (client: NmbrsClient, s: NmbrsEboekhoudenSettings) => journalRuns(client, s);
  const inspect = (client: NmbrsClient, s: NmbrsEboekhoudenSettings, info: RunInfo) => inspectRun(client, s, info);
  /** Ledger state per run: memoriaal entries, and journal hashes skipped for a closed period. */
  const ledgerByRun = (koppelingId: string) => journalLedger(deps, koppelingId, MEMORIAAL, LOONJOURNAAL);
  const runDocs = (koppelingId: string, key: string) => journalRunDocs(deps, koppelingId, MEMORIAAL, key);

  return { snapshots, load, nmbrsClient, ebClient, runsInRange, inspect, ledgerByRun, runDocs };
}

/** Find an earlier booking by its reference (GetMutaties filters on Factuurnummer). */
export async function lookupMutatie(session: EboekhoudenSession, reference: string): Promise<string | undefined> {
  const found = await retrying(() => session.getMutaties({ factuurnummer: reference }));
  const m = found.find((x) => x.boekstuk === reference || x.factuurnummer === reference);
  return m ? String(m.mutatieNr) : undefined;
}

export type Reader = ReturnType<typeof reader>;

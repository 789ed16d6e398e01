/**
 * Activities of the e-Boekhouden ↔ WerkbonApp koppeling. Each talks to ONE external system (its
 * task queue is that system's), reads the credentials at call time, and writes the ledger and the
 * user's log itself. What one step hands to the next (changed master data, invoice drafts) waits in
 * MongoDB (`werkbon_staging`), so workflow payloads stay ids and counts.
 *
 * Import change detection: `werkbon_import_hashes` keeps, per record, the hash of what WerkbonApp
 * last accepted. Imports are upserts by code, so sending one twice is harmless; what matters is not
 * sending unchanged records. The ledger's at-most-once protocol (postOnce) guards the writes that
 * are NOT idempotent: invoices and new relaties in e-Boekhouden.
 */
import { Context } from '@temporalio/activity';
import type { Collection } from 'mongodb';
import { createEboekhoudenClient, type EboekhoudenSession, type Relatie } from '../src/connectors/eboekhouden';
import { createWerkbonAppClient, RELEASE_WORKSTATUS_CODE, type RelationInput, type WerkbonAppClient } from '../src/connectors/werkbonapp';
import { isKoppelError, KoppelError, type ExternalSystem } from '../src/domain/errors';
import { contentHash } from '../src/domain/hash';
import {
  changedRecords,
  importLogLine,
  selectArticleImports,
  selectRelationImports,
  type ImportKind,
  type ImportRecord,
  type ImportSkip,
} from '../src/domain/werkbon-import';
import {
  buildInvoiceDraft,
  completeInvoiceLines,
  formatEuro,
  indexHourTypes,
  invoiceDate,
  relatieChanges,
  relatieProblem,
  WERKBON_RULES,
  type ArtikelBooking,
  type InvoiceDraft,
  type WerkbonProblem,
} from '../src/domain/werkbon-invoice';
import { werkbonappSettings, type WerkbonappSettings } from '../src/koppelingen/eboekhouden-werkbonapp';
import type { LogEntryInput } from '../src/store/log';
import type { Store } from '../src/store/mongo';
import type { KoppelingDoc } from '../src/store/types';
import type { CycleError } from '../workflows/cycle';
import type { ActivityDeps } from './deps';

// ------------------------------------------------------------------------------------ contract with the workflow

export interface WerkbonCycleRef {
  tenantId: string;
  koppelingId: string;
  cycleNo: number;
}

export interface WerkbonPlan {
  import: Record<ImportKind, boolean>;
  factuur: boolean;
  exporteerRelaties: boolean;
}

export interface CatalogReadResult {
  /** Changed records waiting for WerkbonApp, per kind (only kinds switched on). */
  staged: Partial<Record<ImportKind, number>>;
  /** Records that cannot go to WerkbonApp (logged once per reason). */
  skipped: number;
}

export interface CatalogPushResult {
  synced: Partial<Record<ImportKind, number>>;
  errors: CycleError[];
}

export interface CollectResult {
  /** Werkbon row ids with an invoice draft, in WerkbonApp order. */
  ids: string[];
  /** Werkbonnen that cannot be invoiced as they are (logged with the reason). */
  skipped: number;
}

export interface RelatiesResult {
  created: number;
  updated: number;
  /** Werkbonnen held back because their relatie could not be exported. */
  blocked: number;
}

export interface InvoiceBatchInput extends WerkbonCycleRef {
  ids: string[];
  /** Last try in this cycle: transient failures are logged and left for the next cycle. */
  finalPass: boolean;
}

export interface InvoiceBatchResult {
  /** Werkbonnen whose invoice exists in e-Boekhouden (new or earlier): to be marked Afgehandeld. */
  invoiced: string[];
  /** New invoices written in this call (posted or found after a crash). */
  created: number;
  failed: number;
  /** Transient failures, worth another try in this cycle. */
  retry: string[];
  /** A problem every werkbon would meet (e.g. the invoice template does not exist): stop exporting. */
  fatal?: CycleError;
}

export interface MarkInput extends WerkbonCycleRef {
  ids: string[];
}

export interface MarkResult {
  marked: number;
  failed: number;
}

// ------------------------------------------------------------------------------------ own collections

interface StagedDoc {
  _id: string;
  koppelingId: string;
  kind: string;
  key: string;
  data: unknown;
  hash?: string;
  blocked?: WerkbonProblem;
  createdAt: Date;
}

interface ImportHashDoc {
  _id: string;
  koppelingId: string;
  entity: string;
  key: string;
  hash: string;
  updatedAt: Date;
}

class WerkbonStore {
  readonly staging: Collection<StagedDoc>;
  readonly hashes: Collection<ImportHashDoc>;
  private indexes?: Promise<unknown>;

  constructor(store: Store) {
    this.staging = store.db.collection<StagedDoc>('werkbon_staging');
    this.hashes = store.db.collection<ImportHashDoc>('werkbon_import_hashes');
  }

  ready(): Promise<unknown> {
    this.indexes ??= Promise.all([
      this.staging.createIndex({ koppelingId: 1, kind: 1, key: 1 }, { name: 'koppeling_kind_key' }),
      this.hashes.createIndex({ koppelingId: 1, entity: 1 }, { name: 'koppeling_entity' }),
    ]).catch((err) => {
      this.indexes = undefined;
      throw err;
    });
    return this.indexes;
  }

  /** Replaces what is staged of one kind. One cycle runs at a time per koppeling. */
  async stage(koppelingId: string, kind: string, items: Array<{ key: string; data: unknown; hash?: string }>): Promise<void> {
    await this.staging.deleteMany({ koppelingId, kind });
    if (!items.length) return;
    const now = new Date();
    await this.staging.insertMany(
      items.map((i) => ({ _id: `${koppelingId}|${kind}|${i.key}`, koppelingId, kind, key: i.key, data: i.data, hash: i.hash, createdAt: now })),
      { ordered: false },
    );
  }

  staged(koppelingId: string, kind: string, keys?: string[]): Promise<StagedDoc[]> {
    return this.staging.find({ koppelingId, kind, ...(keys ? { key: { $in: keys } } : {}) }).toArray();
  }

  async unstage(koppelingId: string, kind: string, keys: string[]): Promise<void> {
    if (keys.length) await this.staging.deleteMany({ koppelingId, kind, key: { $in: keys } });
  }

  async known(koppelingId: string, entity: string): Promise<Map<string, string>> {
    const docs = await this.hashes.find({ koppelingId, entity }).toArray();
    return new Map(docs.map((d) => [d.key, d.hash]));
  }

  async remember(koppelingId: string, entity: string, entries: Array<{ key: string; hash: string }>): Promise<void> {
    if (!entries.length) return;
    const now = new Date();
    await this.hashes.bulkWrite(
      entries.map((e) => ({
        replaceOne: {
          filter: { _id: `${koppelingId}|${entity}|${e.key}` },
          replacement: { koppelingId, entity, key: e.key, hash: e.hash, updatedAt: now },
          upsert: true,
        },
      })),
      { ordered: false },
    );
  }
}

const IMPORT_ENTITY: Record<ImportKind, string> = { relaties: 'import-relatie', materialen: 'import-materiaal', uursoorten: 'import-uursoort' };
const SKIP_ENTITY = (kind: ImportKind) => `${IMPORT_ENTITY[kind]}-overgeslagen`;
const DRAFT = 'werkbon';
const UPSERT_CHUNK = 250;
/** Werkbonnen marked Afgehandeld at once: one GET each, independent of each other. */
const MARK_CONCURRENCY = 5;

// ------------------------------------------------------------------------------------ helpers

/**
 * Heartbeats while the activity runs: a killed worker stops them, so Temporal retries the activity
 * after the (short) heartbeat timeout instead of the long start-to-close timeout.
 */
async function alive<T>(fn: (ctx?: Context) => Promise<T>): Promise<T> {
  let ctx: Context | undefined;
  try {
    ctx = Context.current();
  } catch {
    ctx = undefined; // called outside an activity (unit use)
  }
  const timer = ctx ? setInterval(() => ctx!.heartbeat(), 1_000) : undefined;
  try {
    return await fn(ctx);
  } finally {
    if (timer) clearInterval(timer);
  }
}

/** Runs `fn` over the items, at most `limit` at a time. */
async function eachLimited<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await fn(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}

/** Stop between items when Temporal gave up on this attempt (timeout) or cancelled it. */
function checkCancelled(ctx?: Context): void {
  if (ctx?.cancellationSignal.aborted) throw ctx.cancellationSignal.reason ?? new Error('activity cancelled');
}

function missingCredentials(system: ExternalSystem): KoppelError {
  const e = system === 'werkbonapp';
  return new KoppelError({
    type: 'ReauthRequired',
    system,
    message: `no ${system} credentials stored`,
    oorzaak: e ? 'Er is geen API-token van WerkbonApp ingevuld bij de koppeling.' : 'Er zijn geen inloggegevens van e-Boekhouden.nl ingevuld bij de koppeling.',
    oplossing: e
      ? 'Vul het token in dat WerkbonApp toont bij Instellingen > Externe koppelingen > e-Boekhouden.'
      : 'Vul gebruikersnaam en beveiligingscodes 1 en 2 in (e-Boekhouden.nl: Beheer > Inrichting > Instellingen > Koppelingen > API/SOAP).',
  });
}

const isAuth = (err: unknown) => isKoppelError(err) && (err.type === 'ReauthRequired' || err.type === 'PermissionDenied');
const isRetryable = (err: unknown) => !isKoppelError(err) || err.retryable;

function problemOf(err: unknown): { oorzaak: string; oplossing: string } {
  if (isKoppelError(err)) return { oorzaak: err.oorzaak, oplossing: err.oplossing };
  return { oorzaak: err instanceof Error ? err.message : String(err), oplossing: 'Geen actie nodig: de koppeling probeert het bij de volgende synchronisatie opnieuw.' };
}

function cycleError(err: KoppelError): CycleError {
  return { type: err.type, system: err.system, code: err.code, oorzaak: err.oorzaak, oplossing: err.oplossing };
}


// ------------------------------------------------------------------------------------ the activities

export function createWerkbonAppActivities(deps: ActivityDeps) {
  const db = new WerkbonStore(deps.store);

  async function load(koppelingId: string): Promise<{ k: KoppelingDoc; settings: WerkbonappSettings }> {
    const k = await deps.koppelingen.get(koppelingId);
    if (!k) throw new Error(`koppeling ${koppelingId} bestaat niet meer`);
    await db.ready();
    return { k, settings: werkbonappSettings.parse(k.settings) };
  }

  async function werkbonapp(k: KoppelingDoc): Promise<WerkbonAppClient> {
    const creds = await deps.credentials.read<{ token: string }>(k._id, 'werkbonapp');
    if (!creds?.token) throw missingCredentials('werkbonapp');
    return createWerkbonAppClient({ baseUrl: deps.config.WERKBONAPP_BASE_URL, token: creds.token });
  }

  /** One e-Boekhouden session for the whole activity, always closed. */
  async function withEboekhouden<T>(k: KoppelingDoc, fn: (s: EboekhoudenSession) => Promise<T>): Promise<T> {
    const creds = await deps.credentials.read<{ username: string; securityCode1: string; securityCode2: string }>(k._id, 'eboekhouden');
    if (!creds?.username || !creds.securityCode1 || !creds.securityCode2) throw missingCredentials('eboekhouden');
    return createEboekhoudenClient({ baseUrl: deps.config.EBOEKHOUDEN_BASE_URL, credentials: creds }).withSession(fn);
  }

  /**
   * What the export wrote to e-Boekhouden came from WerkbonApp: record it as imported, so the next
   * import does not send it back (that would be a write, and could undo edits in WerkbonApp).
   */
  async function rememberAsImported(koppelingId: string, now: Relatie): Promise<void> {
    const [rec] = selectRelationImports([now]).relaties;
    if (rec) await db.remember(koppelingId, IMPORT_ENTITY.relaties, [rec]);
  }

  const log = (ref: WerkbonCycleRef, entries: LogEntryInput[]) =>
    deps.log.write(ref.tenantId, ref.koppelingId, entries.map((e) => ({ cycleNo: ref.cycleNo, ...e })));

  return {
    /** What this cycle has to do, from the settings (store only). */
    async werkbonPlan(ref: WerkbonCycleRef): Promise<WerkbonPlan> {
      const { settings } = await load(ref.koppelingId);
      return { import: { ...settings.import }, factuur: settings.export.factuur, exporteerRelaties: settings.export.exporteerRelaties };
    },

    /** e-Boekhouden: read relaties and products, stage the records that changed since the last import. */
    async werkbonReadCatalog(ref: WerkbonCycleRef): Promise<CatalogReadResult> {
      return alive(async () => {
        const { k, settings } = await load(ref.koppelingId);
        const on = settings.import;
        const { relaties, artikelen } = await withEboekhouden(k, async (s) => ({
          relaties: on.relaties ? await s.getRelaties() : undefined,
          artikelen: on.materialen || on.uursoorten ? await s.getArtikelen() : undefined,
        }));
        const candidates: Partial<Record<ImportKind, ImportRecord<unknown>[]>> = {};
        const skips: ImportSkip[] = [];
        if (relaties) {
          const sel = selectRelationImports(relaties);
          candidates.relaties = sel.relaties;
          skips.push(...sel.skipped);
        }
        if (artikelen) {
          const previous = new Set((await db.known(ref.koppelingId, IMPORT_ENTITY.uursoorten)).keys());
          const sel = selectArticleImports(artikelen, previous);
          if (on.uursoorten) candidates.uursoorten = sel.uursoorten;
          if (on.materialen) candidates.materialen = sel.materialen;
          skips.push(...sel.skipped.filter((x) => on[x.kind]));
        }
        const staged: CatalogReadResult['staged'] = {};
        for (const [kind, records] of Object.entries(candidates) as Array<[ImportKind, ImportRecord<unknown>[]]>) {
          const changed = changedRecords(records, await db.known(ref.koppelingId, IMPORT_ENTITY[kind]));
          await db.stage(ref.koppelingId, IMPORT_ENTITY[kind], changed);
          staged[kind] = changed.length;
        }
        // A record that cannot be imported is reported once per reason, not every 15 minutes.
        let newSkips = 0;
        for (const kind of new Set(skips.map((x) => x.kind))) {
          const mine = skips.filter((x) => x.kind === kind);
          const fresh = changedRecords(mine, await db.known(ref.koppelingId, SKIP_ENTITY(kind)));
          if (!fresh.length) continue;
          newSkips += fresh.length;
          await log(ref, fresh.map((x) => ({ level: 'warn' as const, code: 'WERKBON_IMPORT_OVERGESLAGEN', message: `Niet geïmporteerd in WerkbonApp: ${x.reden}`, details: { kind, key: x.key } })));
          await db.remember(ref.koppelingId, SKIP_ENTITY(kind), fresh);
        }
        return { staged, skipped: newSkips };
      });
    },

    /** WerkbonApp: upsert the staged master data by code, then remember what was accepted. */
    async werkbonPushCatalog(ref: WerkbonCycleRef): Promise<CatalogPushResult> {
      return alive(async (ctx) => {
        const { k, settings } = await load(ref.koppelingId);
        const wa = await werkbonapp(k);
        const synced: CatalogPushResult['synced'] = {};
        const errors: CycleError[] = [];
        const order: ImportKind[] = ['relaties', 'materialen', 'uursoorten'];
        for (const kind of order) {
          if (!settings.import[kind]) continue;
          const staged = await db.staged(ref.koppelingId, IMPORT_ENTITY[kind]);
          staged.sort((a, b) => a.key.localeCompare(b.key));
          let count = 0;
          try {
            for (let i = 0; i < staged.length; i += UPSERT_CHUNK) {
              checkCancelled(ctx);
              const chunk = staged.slice(i, i + UPSERT_CHUNK);
              const data = chunk.map((d) => d.data) as never[];
              if (kind === 'relaties') await wa.upsertRelations(await keepWerkbonAppFields(wa, data));
              else if (kind === 'materialen') await wa.upsertMaterials(data);
              else await wa.upsertHourTypes(data);
              // Remembered per chunk: a retry after a crash does not send these again.
              await db.remember(ref.koppelingId, IMPORT_ENTITY[kind], chunk.map((d) => ({ key: d.key, hash: d.hash ?? '' })));
              await db.unstage(ref.koppelingId, IMPORT_ENTITY[kind], chunk.map((d) => d.key));
              count += chunk.length;
            }
          } catch (err) {
            // Auth and transient errors: the whole activity fails (reauth / Temporal retry).
            if (isAuth(err) || isRetryable(err) || !isKoppelError(err)) throw err;
            errors.push(cycleError(err));
            await log(ref, [{ level: 'error', code: 'WERKBON_IMPORT_FOUT', message: `Import van ${kind} naar WerkbonApp mislukt: ${err.oorzaak} Oplossing: ${err.oplossing}`, details: { kind, code: err.code } }]);
          }
          synced[kind] = count;
        }
        const total = Object.values(synced).reduce((a, b) => a + (b ?? 0), 0);
        if (total > 0) await log(ref, [{ code: 'WERKBON_IMPORT', message: importLogLine(synced), counts: synced as Record<string, number> }]);
        return { synced, errors };
      });
    },

    /** WerkbonApp: the released, completed werkbonnen (status untouched) → invoice drafts, staged. */
    async werkbonCollect(ref: WerkbonCycleRef): Promise<CollectResult> {
      return alive(async () => {
        const { k, settings } = await load(ref.koppelingId);
        const wa = await werkbonapp(k);
        const [orders, hourTypes, relations] = await Promise.all([
          wa.getWorkorders({ status: 'Compleet', workstatus: RELEASE_WORKSTATUS_CODE, updateStatus: false }),
          wa.getHourTypes(),
          settings.export.exporteerRelaties ? wa.getRelations() : Promise.resolve([]),
        ]);
        const hourIndex = indexHourTypes(hourTypes);
        const relationByDebtor = new Map(relations.map((r) => [r.debtorNumber.trim().toUpperCase(), r]));
        const drafts: InvoiceDraft[] = [];
        const skipped: LogEntryInput[] = [];
        for (const w of orders) {
          // The server filters already; a werkbon in another state must never be invoiced.
          if (w.status !== 'Compleet' || w.workStatus !== RELEASE_WORKSTATUS_CODE) continue;
          const r = buildInvoiceDraft(w, hourIndex, relationByDebtor.get(w.invoiceCustomer.debtorNr.trim().toUpperCase()));
          if (r.ok) drafts.push(r.draft);
          else skipped.push(skipEntry(w.workorderNo || w.id, w.id, r.problem));
        }
        await db.stage(ref.koppelingId, DRAFT, drafts.map((d) => ({ key: d.werkbonId, data: d, hash: d.hash })));
        await log(ref, skipped);
        return { ids: drafts.map((d) => d.werkbonId), skipped: skipped.length };
      });
    },

    /**
     * e-Boekhouden: create the invoice relaties that are missing, and update the ones whose
     * WerkbonApp data changed since we last sent it (an edit made in e-Boekhouden is kept until
     * WerkbonApp changes). Werkbonnen of a relatie that fails are held back with the reason.
     */
    async werkbonExportRelaties(ref: WerkbonCycleRef): Promise<RelatiesResult> {
      return alive(async (ctx) => {
        const { k } = await load(ref.koppelingId);
        const drafts = (await db.staged(ref.koppelingId, DRAFT)).map((d) => d.data as InvoiceDraft);
        const wanted = new Map<string, { desired: InvoiceDraft['relatie']; fromRecord: boolean }>();
        for (const d of drafts) if (!wanted.has(d.debtorNr.toUpperCase())) wanted.set(d.debtorNr.toUpperCase(), { desired: d.relatie, fromRecord: d.relatieFromRecord });
        const result: RelatiesResult = { created: 0, updated: 0, blocked: 0 };
        if (!wanted.size) return result;
        const entries: LogEntryInput[] = [];
        const block = async (debtorNr: string, problem: WerkbonProblem) => {
          const res = await db.staging.updateMany({ koppelingId: ref.koppelingId, kind: DRAFT, 'data.debtorNr': debtorNr }, { $set: { blocked: problem } });
          result.blocked += res.modifiedCount;
        };
        await withEboekhouden(k, async (s) => {
          const current = new Map((await s.getRelaties()).map((r) => [r.code.trim().toUpperCase(), r]));
          for (const [upper, { desired, fromRecord }] of wanted) {
            checkCancelled(ctx);
            const existing = current.get(upper);
            try {
              if (!existing) {
                const problem = relatieProblem(desired);
                if (problem) {
                  await block(desired.code, problem);
                  continue;
                }
                const res = await deps.ledger.postOnce(
                  { tenantId: ref.tenantId, koppelingId: ref.koppelingId, entity: 'export-relatie', sourceKey: `nieuw:${desired.code}`, contentHash: contentHash(desired), reference: desired.code, meta: { naam: desired.bedrijf, cycleNo: ref.cycleNo } },
                  {
                    lookup: async (code) => (await s.getRelaties({ code }))[0]?.id.toString(),
                    write: async () => String(await s.addRelatie({ ...desired, bp: WERKBON_RULES.newRelatieBp })),
                  },
                );
                await rememberAsImported(ref.koppelingId, { ...EMPTY_RELATIE, ...desired, id: Number(res.targetId) || 0 });
                if (res.outcome !== 'already') {
                  result.created++;
                  entries.push({ code: 'WERKBON_RELATIE', message: `Relatie ${desired.code} (${desired.bedrijf}) aangemaakt in e-Boekhouden.nl.`, details: { relatie: desired.code } });
                }
                continue;
              }
              // Text typed on a werkbon never overwrites the bookkeeper's relatie.
              const changes = fromRecord ? relatieChanges(existing, desired) : {};
              if (!Object.keys(changes).length) continue;
              const version = `${desired.code}#${contentHash(desired).slice(0, 16)}`;
              const res = await deps.ledger.postOnce(
                { tenantId: ref.tenantId, koppelingId: ref.koppelingId, entity: 'export-relatie', sourceKey: version, contentHash: contentHash(desired), reference: desired.code, meta: { velden: Object.keys(changes), cycleNo: ref.cycleNo } },
                {
                  // Updates are idempotent: after a crash, simply update again.
                  lookup: async () => undefined,
                  write: async () => {
                    await s.updateRelatie({ ...changes, code: existing.code, bedrijf: changes.bedrijf ?? existing.bedrijf, bp: bpOf(existing) });
                    return String(existing.id);
                  },
                },
              );
              await rememberAsImported(ref.koppelingId, { ...existing, ...changes });
              if (res.outcome !== 'already') {
                result.updated++;
                entries.push({ code: 'WERKBON_RELATIE', message: `Relatie ${desired.code} bijgewerkt in e-Boekhouden.nl (${Object.keys(changes).join(', ')}).`, details: { relatie: desired.code } });
              }
            } catch (err) {
              if (isAuth(err)) throw err;
              await block(desired.code, { code: 'RELATIE_INCOMPLETE', ...problemOf(err) });
            }
          }
        });
        await log(ref, entries);
        return result;
      });
    },

    /** e-Boekhouden: one invoice per werkbon, at most once (ledger first, lookup by invoice number). */
    async werkbonExportInvoices(input: InvoiceBatchInput): Promise<InvoiceBatchResult> {
      return alive(async (ctx) => {
        const { k, settings } = await load(input.koppelingId);
        const exp = settings.export;
        const staged = new Map((await db.staged(input.koppelingId, DRAFT, input.ids)).map((d) => [d.key, d]));
        const out: InvoiceBatchResult = { invoiced: [], created: 0, failed: 0, retry: [] };
        const entries: LogEntryInput[] = [];
        try {
          await withEboekhouden(k, async (s) => {
            const artikelen = new Map<string, ArtikelBooking>(
              (await s.getArtikelen()).map((a) => [a.code.trim().toUpperCase(), { btwCode: a.btwCode, tegenrekeningCode: a.tegenrekeningCode, eenheid: a.eenheid }]),
            );
            for (const id of input.ids) {
              checkCancelled(ctx);
              const doc = staged.get(id);
              if (!doc) continue; // handled meanwhile (e.g. an earlier attempt of this batch)
              const d = doc.data as InvoiceDraft;
              const label = d.workorderNo || d.werkbonId;
              if (doc.blocked) {
                out.failed++;
                entries.push(skipEntry(label, d.werkbonId, doc.blocked));
                continue;
              }
              try {
                const earlier = await deps.ledger.get(input.koppelingId, 'factuur', d.werkbonId);
                if (earlier?.status === 'posted') {
                  out.invoiced.push(id); // invoiced before; marking Afgehandeld had not happened yet
                  continue;
                }
                const reference = earlier?.reference ?? d.reference;
                const res = await deps.ledger.postOnce(
                  {
                    tenantId: input.tenantId,
                    koppelingId: input.koppelingId,
                    entity: 'factuur',
                    sourceKey: d.werkbonId,
                    contentHash: d.hash,
                    reference,
                    meta: { werkbon: d.workorderNo, relatie: d.debtorNr, totaalExcl: d.totaalExclCents / 100, regels: d.lines.length, cycleNo: input.cycleNo },
                  },
                  {
                    lookup: (nr) => findOwnInvoice(s, nr, d.debtorNr),
                    write: async () => {
                      try {
                        return await s.addFactuur({
                          factuurnummer: reference,
                          relatiecode: d.debtorNr,
                          datum: invoiceDate(new Date()),
                          betalingstermijn: exp.betalingstermijn,
                          factuursjabloon: exp.factuursjabloon,
                          inBoekhoudingPlaatsen: exp.verwerkenInBoekhouding,
                          boekhoudmutatieOmschrijving: `Werkbon ${label}`,
                          regels: completeInvoiceLines(d.lines, artikelen, { btwCode: exp.standaardBtwCode, omzetrekeningUren: exp.omzetrekeningUren, omzetrekeningMaterialen: exp.omzetrekeningMaterialen }),
                        });
                      } catch (err) {
                        // "Number in use": an earlier attempt's request may have landed after our lookup
                        // (slow server). The number is this werkbon's own, so an invoice with it for
                        // the same relatie is ours: take it instead of failing or writing again.
                        if (isKoppelError(err) && err.details?.duplicate) {
                          const found = await findOwnInvoice(s, reference, d.debtorNr);
                          if (found) return found;
                        }
                        throw err;
                      }
                    },
                  },
                );
                out.invoiced.push(id);
                if (res.outcome !== 'already') {
                  out.created++;
                  entries.push({
                    code: 'WERKBON_FACTUUR',
                    message: `Factuur ${res.targetId} aangemaakt voor werkbon ${label} (${d.relatie.bedrijf || d.debtorNr}, ${formatEuro(d.totaalExclCents)} excl. btw, ${exp.verwerkenInBoekhouding ? 'verwerkt in de boekhouding' : 'klaargezet'}).`,
                    details: { werkbon: d.workorderNo, werkbonId: d.werkbonId, factuurnummer: res.targetId, relatie: d.debtorNr, outcome: res.outcome },
                  });
                }
              } catch (err) {
                if (isAuth(err)) throw err;
                if (isKoppelError(err) && typeof err.details?.factuursjabloon === 'string') {
                  // The template is the koppeling's, not the werkbon's: every werkbon would fail.
                  out.fatal = cycleError(err);
                  entries.push({ level: 'error', code: 'WERKBON_FACTUURSJABLOON', message: `Facturen niet aangemaakt: ${err.oorzaak} Oplossing: ${err.oplossing}`, details: { factuursjabloon: err.details.factuursjabloon } });
                  return;
                }
                if (isRetryable(err) && !input.finalPass) {
                  out.retry.push(id);
                  continue;
                }
                out.failed++;
                entries.push(skipEntry(label, d.werkbonId, problemOf(err), isKoppelError(err) ? err.code : undefined));
              }
            }
          });
        } finally {
          await log(input, entries);
        }
        return out;
      });
    },

    /** WerkbonApp: invoiced werkbonnen become Afgehandeld (the documented fetch with update_status). */
    async werkbonMarkAfgehandeld(input: MarkInput): Promise<MarkResult> {
      return alive(async (ctx) => {
        const { k } = await load(input.koppelingId);
        const wa = await werkbonapp(k);
        const result: MarkResult = { marked: 0, failed: 0 };
        const done: string[] = [];
        const entries: LogEntryInput[] = [];
        let transient: unknown;
        let auth: unknown;
        await eachLimited(input.ids, MARK_CONCURRENCY, async (id) => {
          checkCancelled(ctx);
          if (auth) return;
          try {
            await wa.updateWorkorder(id, { status: 'Afgehandeld' });
            done.push(id);
            result.marked++;
          } catch (err) {
            if (isAuth(err)) {
              auth ??= err;
              return;
            }
            if (isRetryable(err)) {
              transient ??= err;
              return;
            }
            result.failed++;
            done.push(id);
            const p = problemOf(err);
            entries.push({ level: 'warn', code: 'WERKBON_NIET_AFGEHANDELD', message: `Werkbon ${id} is gefactureerd maar niet op Afgehandeld gezet: ${p.oorzaak} Oplossing: ${p.oplossing}`, details: { werkbonId: id } });
          }
        });
        if (auth) throw auth;
        await db.unstage(input.koppelingId, DRAFT, done);
        await log(input, entries);
        // Marking is idempotent: let Temporal retry the ones that hit a hiccup.
        if (transient) throw transient;
        return result;
      });
    },
  };
}

const EMPTY_RELATIE: Relatie = {
  id: 0, addDatum: '', code: '', bedrijf: '', bp: 'B', contactpersoon: '', geslacht: '', adres: '', postcode: '', plaats: '', land: '',
  adres2: '', postcode2: '', plaats2: '', land2: '', telefoon: '', gsm: '', fax: '', email: '', site: '', notitie: '', btwNummer: '',
  kvkNummer: '', aanhef: '', iban: '', bic: '', la: '0', gbId: 0, geenEmail: 0, vrijeVelden: [],
};

/** An upsert replaces the relation: carry over what only WerkbonApp keeps (remark, werkbon e-mail, location). */
async function keepWerkbonAppFields(wa: WerkbonAppClient, relations: RelationInput[]): Promise<RelationInput[]> {
  const current = new Map((await wa.getRelations()).map((r) => [r.debtorNumber.trim().toUpperCase(), r]));
  return relations.map((r) => {
    const c = current.get(r.debtorNumber.toUpperCase());
    return c ? { ...r, remark: c.remark, emailWorkorder: c.emailWorkorder, latitude: c.latitude, longitude: c.longitude } : r;
  });
}

/** The invoice with this (deterministic) number, when it belongs to the werkbon's relatie. */
async function findOwnInvoice(s: EboekhoudenSession, factuurnummer: string, relatiecode: string): Promise<string | undefined> {
  const found = (await s.getFacturen({ factuurnummer })).find((f) => f.relatiecode.trim().toUpperCase() === relatiecode.trim().toUpperCase());
  return found?.factuurnummer;
}

function bpOf(r: Relatie): 'B' | 'P' {
  return r.bp === 'P' ? 'P' : 'B';
}

function skipEntry(label: string, werkbonId: string, p: { oorzaak: string; oplossing: string; code?: string }, externalCode?: string): LogEntryInput {
  return {
    level: 'warn',
    code: 'WERKBON_OVERGESLAGEN',
    message: `Werkbon ${label} overgeslagen: ${p.oorzaak} Oplossing: ${p.oplossing}`,
    details: { werkbon: label, werkbonId, ...(p.code ? { reden: p.code } : {}), ...(externalCode ? { code: externalCode } : {}) },
  };
}

export type WerkbonAppActivities = ReturnType<typeof createWerkbonAppActivities>;

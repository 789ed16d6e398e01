/**
 * Import (e-Boekhouden → WerkbonApp): read relaties and products on the e-Boekhouden queue and stage
 * what changed; push the staged records to WerkbonApp on its own queue, remembering per chunk what
 * was accepted so a retry after a crash sends nothing twice.
 */
import type { Relation, RelationInput, WerkbonAppClient } from '../../src/systems/werkbonapp/client';
import { isKoppelError } from '../../src/domain/errors';
import { changedRecords, importLogLine, lostRecords, selectArticleImports, selectRelationImports, type ImportKind, type ImportRecord, type ImportSkip } from '../../src/koppelingen/eboekhouden-werkbonapp/domain/import';
import type { CycleError } from '../../workflows/cycle';
import { alive, checkCancelled } from '../support';
import type { CatalogPushResult, CatalogReadResult, WerkbonCycleRef } from './contract';
import { cycleError, isAuth, isRetryable, type WerkbonContext } from './context';
import { IMPORT_ENTITY, SKIP_ENTITY } from './store';

/** Records per upsert call to WerkbonApp. */
const UPSERT_CHUNK = 250;

/** e-Boekhouden: read relaties and products, stage the records that changed since the last import. */
export function readCatalog(c: WerkbonContext) {
  const { db, load, withEboekhouden, log } = c;
  return async function werkbonReadCatalog(ref: WerkbonCycleRef): Promise<CatalogReadResult> {
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
  };
}

/**
 * WerkbonApp: upsert the staged master data by code, then remember what was accepted. WerkbonApp's
 * own list of each kind is read once per call: for the fields only WerkbonApp keeps on a relation,
 * and to notice records it lost.
 */
export function pushCatalog(c: WerkbonContext) {
  const { db, load, werkbonapp, log } = c;
  return async function werkbonPushCatalog(ref: WerkbonCycleRef): Promise<CatalogPushResult> {
    return alive(async (ctx) => {
      const { k, settings } = await load(ref.koppelingId);
      const wa = await werkbonapp(k);
      const synced: CatalogPushResult['synced'] = {};
      const lost: CatalogPushResult['lost'] = {};
      const errors: CycleError[] = [];
      const order: ImportKind[] = ['relaties', 'materialen', 'uursoorten'];
      for (const kind of order) {
        if (!settings.import[kind]) continue;
        const staged = await db.staged(ref.koppelingId, IMPORT_ENTITY[kind]);
        staged.sort((a, b) => a.key.localeCompare(b.key));
        const remembered = await db.known(ref.koppelingId, IMPORT_ENTITY[kind]);
        const current = staged.length || remembered.size ? await listed(wa, kind) : { codes: [], relations: new Map<string, Relation>() };
        const pushed = new Set<string>();
        try {
          for (let i = 0; i < staged.length; i += UPSERT_CHUNK) {
            checkCancelled(ctx);
            const chunk = staged.slice(i, i + UPSERT_CHUNK);
            const data = chunk.map((d) => d.data) as never[];
            if (kind === 'relaties') await wa.upsertRelations(withWerkbonAppFields(data, current.relations));
            else if (kind === 'materialen') await wa.upsertMaterials(data);
            else await wa.upsertHourTypes(data);
            // Remembered per chunk: a retry after a crash does not send these again.
            await db.remember(ref.koppelingId, IMPORT_ENTITY[kind], chunk.map((d) => ({ key: d.key, hash: d.hash ?? '' })));
            await db.unstage(ref.koppelingId, IMPORT_ENTITY[kind], chunk.map((d) => d.key));
            for (const d of chunk) pushed.add(d.key);
          }
          // Sent before, not sent now, and not in WerkbonApp's list: lost there.
          const missing = lostRecords([...remembered.keys()].filter((key) => !pushed.has(key)), current.codes);
          if (missing.length) lost[kind] = await forgetLost(c, ref, kind, missing);
        } catch (err) {
          // Auth and transient errors: the whole activity fails (reauth / Temporal retry).
          if (isAuth(err) || isRetryable(err) || !isKoppelError(err)) throw err;
          errors.push(cycleError(err));
          await log(ref, [{ level: 'error', code: 'WERKBON_IMPORT_FOUT', message: `Import van ${kind} naar WerkbonApp mislukt: ${err.oorzaak} Oplossing: ${err.oplossing}`, details: { kind, code: err.code } }]);
        }
        synced[kind] = pushed.size;
      }
      const total = Object.values(synced).reduce((a, b) => a + (b ?? 0), 0);
      if (total > 0) await log(ref, [{ code: 'WERKBON_IMPORT', message: importLogLine(synced), counts: synced as Record<string, number> }]);
      return { synced, errors, lost };
    });
  };
}

/** WerkbonApp's codes of one kind, and for relations the records themselves (by upper-case code). */
async function listed(wa: WerkbonAppClient, kind: ImportKind): Promise<{ codes: string[]; relations: Map<string, Relation> }> {
  if (kind === 'relaties') {
    const relations = await wa.getRelations();
    return { codes: relations.map((r) => r.debtorNumber), relations: new Map(relations.map((r) => [r.debtorNumber.trim().toUpperCase(), r])) };
  }
  const records = kind === 'materialen' ? await wa.getMaterials() : await wa.getHourTypes();
  return { codes: records.map((r) => r.code), relations: new Map() };
}

const KIND_WORDS: Record<ImportKind, string> = { relaties: 'relaties', materialen: 'materialen', uursoorten: 'uursoorten' };

/**
 * Records we sent earlier that WerkbonApp no longer has (deleted there, or its data was lost) are
 * forgotten, so the next read stages them again. Without this a deleted hour type would never come
 * back: its product in e-Boekhouden does not change, so it never looks changed.
 */
async function forgetLost(c: WerkbonContext, ref: WerkbonCycleRef, kind: ImportKind, lost: string[]): Promise<number> {
  await c.db.forget(ref.koppelingId, IMPORT_ENTITY[kind], lost);
  const shown = lost.length > 10 ? `${lost.slice(0, 10).join(', ')} en ${lost.length - 10} meer` : lost.join(', ');
  await c.log(ref, [
    {
      level: 'warn',
      code: 'WERKBON_IMPORT_HERSTEL',
      message: `WerkbonApp mist ${lost.length} eerder geïmporteerde ${KIND_WORDS[kind]} (${shown}); ze worden opnieuw geïmporteerd.`,
      counts: { [kind]: lost.length },
      details: { kind, codes: lost.slice(0, 100) },
    },
  ]);
  return lost.length;
}

/** An upsert replaces the relation: carry over what only WerkbonApp keeps (remark, werkbon e-mail, location). */
function withWerkbonAppFields(relations: RelationInput[], current: ReadonlyMap<string, Relation>): RelationInput[] {
  return relations.map((r) => {
    const c = current.get(r.debtorNumber.trim().toUpperCase());
    return c ? { ...r, remark: c.remark, emailWorkorder: c.emailWorkorder, latitude: c.latitude, longitude: c.longitude } : r;
  });
}

/**
 * Import (e-Boekhouden → WerkbonApp): read relaties and products on the e-Boekhouden queue and stage
 * what changed; push the staged records to WerkbonApp on its own queue, remembering per chunk what
 * was accepted so a retry after a crash sends nothing twice.
 */
import type { RelationInput, WerkbonAppClient } from '../../src/connectors/werkbonapp';
import { isKoppelError } from '../../src/domain/errors';
import { changedRecords, importLogLine, lostRecords, selectArticleImports, selectRelationImports, type ImportKind, type ImportRecord, type ImportSkip } from '../../src/domain/werkbon-import';
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

/** WerkbonApp: upsert the staged master data by code, then remember what was accepted. */
export function pushCatalog(c: WerkbonContext) {
  const { db, load, werkbonapp, log } = c;
  return async function werkbonPushCatalog(ref: WerkbonCycleRef): Promise<CatalogPushResult> {
    return alive(async (ctx) => {
      const { k, settings } = await load(ref.koppelingId);
      const wa = await werkbonapp(k);
      const synced: CatalogPushResult['synced'] = {};
      const errors: CycleError[] = [];
      const failed = new Set<ImportKind>();
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
          failed.add(kind);
          await log(ref, [{ level: 'error', code: 'WERKBON_IMPORT_FOUT', message: `Import van ${kind} naar WerkbonApp mislukt: ${err.oorzaak} Oplossing: ${err.oplossing}`, details: { kind, code: err.code } }]);
        }
        synced[kind] = count;
      }
      const total = Object.values(synced).reduce((a, b) => a + (b ?? 0), 0);
      if (total > 0) await log(ref, [{ code: 'WERKBON_IMPORT', message: importLogLine(synced), counts: synced as Record<string, number> }]);
      const lost = await forgetLost(c, ref, wa, order.filter((kind) => settings.import[kind] && !failed.has(kind)));
      return { synced, errors, lost };
    });
  };
}

const CODES: Record<ImportKind, (wa: WerkbonAppClient) => Promise<string[]>> = {
  relaties: async (wa) => (await wa.getRelations()).map((r) => r.debtorNumber),
  materialen: async (wa) => (await wa.getMaterials()).map((m) => m.code),
  uursoorten: async (wa) => (await wa.getHourTypes()).map((h) => h.code),
};
const KIND_WORDS: Record<ImportKind, string> = { relaties: 'relaties', materialen: 'materialen', uursoorten: 'uursoorten' };

/**
 * Records we sent earlier that WerkbonApp no longer has (deleted there, or its data was lost) are
 * forgotten, so the next read stages them again. Without this check a deleted hour type would
 * never come back: its product in e-Boekhouden does not change, so it never looks changed.
 */
async function forgetLost(c: WerkbonContext, ref: WerkbonCycleRef, wa: WerkbonAppClient, kinds: ImportKind[]): Promise<Partial<Record<ImportKind, number>>> {
  const out: Partial<Record<ImportKind, number>> = {};
  for (const kind of kinds) {
    const remembered = await c.db.known(ref.koppelingId, IMPORT_ENTITY[kind]);
    if (!remembered.size) continue;
    const lost = lostRecords(remembered.keys(), await CODES[kind](wa));
    if (!lost.length) continue;
    await c.db.forget(ref.koppelingId, IMPORT_ENTITY[kind], lost);
    out[kind] = lost.length;
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
  }
  return out;
}

/** An upsert replaces the relation: carry over what only WerkbonApp keeps (remark, werkbon e-mail, location). */
async function keepWerkbonAppFields(wa: WerkbonAppClient, relations: RelationInput[]): Promise<RelationInput[]> {
  const current = new Map((await wa.getRelations()).map((r) => [r.debtorNumber.trim().toUpperCase(), r]));
  return relations.map((r) => {
    const c = current.get(r.debtorNumber.toUpperCase());
    return c ? { ...r, remark: c.remark, emailWorkorder: c.emailWorkorder, latitude: c.latitude, longitude: c.longitude } : r;
  });
}

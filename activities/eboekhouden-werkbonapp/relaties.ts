/**
 * Export, step 2 (e-Boekhouden queue), when "exporteer relaties" is on: the werkbonnen's invoice
 * relaties are created or updated in e-Boekhouden before any invoice refers to them.
 */
import type { Relatie } from '../../src/systems/eboekhouden/client';
import { contentHash } from '../../src/domain/hash';
import { relatieChanges, relatieProblem, relatieUpdateKey, WERKBON_RULES, type InvoiceDraft, type WerkbonProblem } from '../../src/koppelingen/eboekhouden-werkbonapp/domain/invoice';
import type { LogEntryInput } from '../../src/store/log';
import { alive, checkCancelled } from '../support';
import type { RelatiesResult, WerkbonCycleRef } from './contract';
import { isAuth, problemOf, type WerkbonContext } from './context';
import { DRAFT } from './store';

/** Ledger entity of every relatie written to e-Boekhouden: `nieuw:<code>` creates, `<code>#u<n>` updates. */
const EXPORT_RELATIE = 'export-relatie';

/**
 * e-Boekhouden: create the invoice relaties that are missing, and update the ones whose
 * WerkbonApp data changed since we last sent it (an edit made in e-Boekhouden is kept until
 * WerkbonApp changes). Werkbonnen of a relatie that fails are held back with the reason.
 */
export function exportRelaties(c: WerkbonContext) {
  const { db, deps, load, withEboekhouden, rememberAsImported, log } = c;
  return async function werkbonExportRelaties(ref: WerkbonCycleRef): Promise<RelatiesResult> {
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
                { tenantId: ref.tenantId, koppelingId: ref.koppelingId, entity: EXPORT_RELATIE, sourceKey: `nieuw:${desired.code}`, contentHash: contentHash(desired), reference: desired.code, meta: { naam: desired.bedrijf, cycleNo: ref.cycleNo } },
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
            const earlier = await deps.store.c.ledger
              .find({ koppelingId: ref.koppelingId, reference: desired.code, entity: EXPORT_RELATIE }, { projection: { sourceKey: 1, contentHash: 1 } })
              .toArray();
            const sourceKey = relatieUpdateKey(desired.code, contentHash(desired), earlier);
            const res = await deps.ledger.postOnce(
              { tenantId: ref.tenantId, koppelingId: ref.koppelingId, entity: EXPORT_RELATIE, sourceKey, contentHash: contentHash(desired), reference: desired.code, meta: { velden: Object.keys(changes), cycleNo: ref.cycleNo } },
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
  };
}

const EMPTY_RELATIE: Relatie = {
  id: 0, addDatum: '', code: '', bedrijf: '', bp: 'B', contactpersoon: '', geslacht: '', adres: '', postcode: '', plaats: '', land: '',
  adres2: '', postcode2: '', plaats2: '', land2: '', telefoon: '', gsm: '', fax: '', email: '', site: '', notitie: '', btwNummer: '',
  kvkNummer: '', aanhef: '', iban: '', bic: '', la: '0', gbId: 0, geenEmail: 0, vrijeVelden: [],
};

function bpOf(r: Relatie): 'B' | 'P' {
  return r.bp === 'P' ? 'P' : 'B';
}

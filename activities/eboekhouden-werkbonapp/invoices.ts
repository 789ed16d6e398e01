/** Export, step 3 (e-Boekhouden queue): one invoice per werkbon, at most once. */
import type { EboekhoudenSession } from '../../src/systems/eboekhouden/client';
import { isKoppelError } from '../../src/domain/errors';
import { completeInvoiceLines, formatEuro, invoiceDate, type ArtikelBooking, type InvoiceDraft } from '../../src/koppelingen/eboekhouden-werkbonapp/domain/invoice';
import type { LogEntryInput } from '../../src/store/log';
import { alive, checkCancelled } from '../support';
import type { InvoiceBatchInput, InvoiceBatchResult } from './contract';
import { cycleError, isAuth, isRetryable, problemOf, skipEntry, type WerkbonContext } from './context';
import { DRAFT } from './store';

/** e-Boekhouden: one invoice per werkbon, at most once (ledger first, lookup by invoice number). */
export function exportInvoices(c: WerkbonContext) {
  const { db, deps, load, withEboekhouden, log } = c;
  return async function werkbonExportInvoices(input: InvoiceBatchInput): Promise<InvoiceBatchResult> {
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
  };
}

/** The invoice with this (deterministic) number, when it belongs to the werkbon's relatie. */
async function findOwnInvoice(s: EboekhoudenSession, factuurnummer: string, relatiecode: string): Promise<string | undefined> {
  const found = (await s.getFacturen({ factuurnummer })).find((f) => f.relatiecode.trim().toUpperCase() === relatiecode.trim().toUpperCase());
  return found?.factuurnummer;
}

/**
 * Bulk jaarwerk (seed 001 FAQ: "het jaarwerk kun je naar wens op laten halen door een bulk actie in
 * de CRM module > Relatie Insights"). `nmkJaarwerkTargets` resolves the CRM's relations (customer
 * ids or numbers, or all) to their Nmbrs companies; `nmkJaarwerkRelation` fetches one relation's
 * annual documents (only for a year whose runs are all locked: "Jaarstukken: als ze locked zijn")
 * and files each once. A refused SalaryDocuments_AnnualDocument_* right fails the relation with the
 * seed's fix (step 3); the documents that were allowed are filed anyway.
 */
import { createHash } from 'node:crypto';
import { isKoppelError } from '../../src/domain/errors';
import { matchCompanies, normalizeNumber } from '../../src/koppelingen/nmbrs-mijnkantoor/domain/matching';
import { jaarwerkName } from '../../src/koppelingen/nmbrs-mijnkantoor/domain/naming';
import { ANNUAL_DOCUMENTS } from '../../src/systems/nmbrs/annual-documents';
import type { ActivityDeps } from '../deps';
import { alive, heartbeat, retrying } from '../support';
import { SEED_TEXT, type Context } from './context';
import type { JaarwerkRelationInput, JaarwerkRelationResult, JaarwerkTarget } from './contract';
import { allCompanies, companyRef } from './scan';

export function jaarwerk(deps: ActivityDeps, ctx: Context) {
  async function nmkJaarwerkTargets(input: { koppelingId: string; relations: 'all' | string[] }): Promise<{ targets: JaarwerkTarget[]; concurrency: number }> {
    const l = await ctx.load(input.koppelingId);
    return alive(async () => {
      const [nmbrs, mk] = await Promise.all([ctx.nmbrs(l), ctx.mijnkantoor(l)]);
      const customers = await retrying(() => mk.listCustomers());
      const companies = await allCompanies(nmbrs);
      const matches = matchCompanies(companies.map(companyRef), customers, await ctx.companyLinks(l.k._id));
      const companiesOf = (customerId: string) => matches.filter((m) => m.kind === 'match' && m.customer.id === customerId);
      const asked = input.relations === 'all' ? customers.filter((c) => c.type === 'business').map((c) => c.id) : input.relations;
      const targets = asked.map((relation): JaarwerkTarget => {
        const byId = customers.find((c) => c.id === relation);
        const byNumber = byId ? [] : customers.filter((c) => normalizeNumber(c.number) === normalizeNumber(relation));
        if (!byId && byNumber.length > 1) return { relation, skipReason: `Nummer ${relation} hoort bij ${byNumber.length} relaties in Mijn Kantoor; kies de relatie op id.` };
        const customer = byId ?? byNumber[0];
        if (!customer) return { relation, skipReason: `Relatie ${relation} bestaat niet in Mijn Kantoor.` };
        const own = companiesOf(customer.id);
        const ambiguous = matches.find((m) => m.kind === 'ambiguous' && m.customers.some((c) => c.id === customer.id));
        if (ambiguous) return { relation, customerId: customer.id, customerName: customer.name, skipReason: `Nummer ${customer.number} komt bij meer bedrijven of relaties voor; maak de nummers uniek.` };
        if (own.length === 0) return { relation, customerId: customer.id, customerName: customer.name, skipReason: `Er is geen Nmbrs-bedrijf met nummer ${customer.number}.` };
        return { relation, customerId: customer.id, customerName: customer.name, companyId: own[0].company.id };
      });
      return { targets, concurrency: l.settings.jaarwerkConcurrency };
    });
  }

  async function nmkJaarwerkRelation(input: JaarwerkRelationInput): Promise<JaarwerkRelationResult> {
    const l = await ctx.load(input.koppelingId);
    return alive(async () => {
      const [nmbrs, mk] = await Promise.all([ctx.nmbrs(l), ctx.mijnkantoor(l)]);
      const runs = await retrying(() => nmbrs.listRuns(input.companyId, input.year));
      if (runs.length === 0) return { status: 'skipped', uploaded: 0, already: 0, reason: `Geen salarisruns in ${input.year}.` };
      const open = runs.filter((r) => !r.isLocked);
      if (open.length) {
        return { status: 'skipped', uploaded: 0, already: 0, reason: `Het jaar ${input.year} is nog niet afgesloten: run ${open.map((r) => r.number).join(', ')} ${open.length === 1 ? 'is' : 'zijn'} niet vergrendeld (locked) in Nmbrs.` };
      }
      const last = [...runs].sort((a, b) => a.periodEnd - b.periodEnd || a.number - b.number).at(-1)!;
      const missing: string[] = [];
      let uploaded = 0;
      let already = 0;
      for (const [kind] of ANNUAL_DOCUMENTS) {
        heartbeat({ kind });
        let pdf: Buffer;
        try {
          pdf = await retrying(() => nmbrs.getAnnualDocument(kind, input.companyId, last.id, input.year));
        } catch (err) {
          if (isKoppelError(err) && err.type === 'PermissionDenied' && err.code === '1002') {
            missing.push(`SalaryDocuments_AnnualDocument_${kind}`);
            continue;
          }
          throw err;
        }
        const hash = createHash('sha256').update(pdf).digest('hex');
        const stateId = `${l.k._id}|jaarwerk|${input.companyId}|${input.year}|${kind}`;
        const state = await ctx.documents().findOne({ _id: stateId });
        if (state?.hash === hash) {
          already++;
          continue;
        }
        const sourceKey = `${input.companyId}/${input.year}/${kind}#${hash.slice(0, 32)}`;
        const earlier = await deps.ledger.get(l.k._id, 'jaarwerk', sourceKey);
        const version = typeof earlier?.meta?.version === 'number' ? earlier.meta.version : (state?.version ?? 0) + 1;
        const name = earlier?.reference ?? jaarwerkName(kind, input.year, version);
        const res = await deps.ledger.postOnce(
          { tenantId: l.k.tenantId, koppelingId: l.k._id, entity: 'jaarwerk', sourceKey, contentHash: hash, reference: name, meta: { customerId: input.customerId, companyId: input.companyId, year: input.year, kind, version, name } },
          {
            lookup: async (ref) => (await retrying(() => mk.searchItems(input.customerId, ref))).find((i) => i.name === ref)?.id,
            write: async () =>
              (await mk.upload({ customerId: input.customerId, directoryId: l.settings.directories.jaarwerk, name, filename: name, mimeType: 'application/pdf', content: pdf, year: input.year })).id,
          },
        );
        await ctx.documents().updateOne(
          { _id: stateId },
          { $set: { koppelingId: l.k._id, kind: 'jaarwerk', fingerprint: `${last.id}`, hash, version, updatedAt: new Date() } },
          { upsert: true },
        );
        if (res.outcome === 'already') already++;
        else uploaded++;
      }
      if (missing.length) {
        const text = SEED_TEXT.rights(missing);
        return { status: 'failed', uploaded, already, missingRights: missing, reason: `${text.oorzaak} Oplossing: ${text.oplossing}` };
      }
      return { status: 'done', uploaded, already };
    });
  }

  return { nmkJaarwerkTargets, nmkJaarwerkRelation };
}

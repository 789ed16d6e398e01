/**
 * `nmkRelations` (Mijn Kantoor queue): relations ("werknemers en bedrijven", seed 001) in the chosen
 * direction. Inbound (Nmbrs leads): each Nmbrs company updates its customer (by number) or, when the
 * number need not match, creates one; its employees are kept as contacts of that customer.
 * Outbound (Mijn Kantoor leads): a business customer without an Nmbrs company gets one
 * (Company_Insert), and a matched company gets the customer's address when it differs. Every write goes through the ledger; conflicts are reported per relation.
 */
import { contentHash } from '../../src/domain/hash';
import { conflictOf, matchCompanies, matchCustomers, normalizeNumber, type RelationConflict } from '../../src/koppelingen/nmbrs-mijnkantoor/domain/matching';
import type { MkCustomer, MijnKantoorClient } from '../../src/systems/mijnkantoor/client';
import type { NmbrsClient, NmbrsCompany } from '../../src/systems/nmbrs/client';
import { KoppelError } from '../../src/domain/errors';
import type { ActivityDeps } from '../deps';
import { alive, heartbeat, retrying } from '../support';
import type { Context, Loaded } from './context';
import type { CycleIds, RelationsResult } from './contract';
import { allCompanies, companyRef } from './scan';
import { pushAddress } from './direct-sync';

/** INFERRED (market.md §1.3): employees are kept as contacts of their company's customer, with this function. */
export const EMPLOYEE_CONTACT_FUNCTION = 'werknemer';

export function relations(deps: ActivityDeps, ctx: Context) {
  async function inbound(l: Loaded, nmbrs: NmbrsClient, mk: MijnKantoorClient, r: RelationsResult): Promise<void> {
    const customers = await retrying(() => mk.listCustomers());
    const companies = await allCompanies(nmbrs);
    const byId = new Map(companies.map((c) => [c.id, c]));
    for (const m of matchCompanies(companies.map(companyRef), customers, await ctx.companyLinks(l.k._id))) {
      heartbeat({ companyId: m.company.id });
      const conflict = conflictOf(m, l.settings.numberMustMatch);
      if (conflict) {
        r.conflicts.push(conflict);
        continue;
      }
      if (m.kind === 'ambiguous') continue;
      const company = byId.get(m.company.id)!;
      const customerId = m.kind === 'match' ? await updateCustomer(l, mk, company, customers.find((c) => c.id === m.customer.id)!, r) : await createCustomer(l, mk, company, r);
      await syncEmployees(l, nmbrs, mk, company, customerId, r);
    }
  }

  async function createCustomer(l: Loaded, mk: MijnKantoorClient, company: NmbrsCompany, r: RelationsResult): Promise<string> {
    const body = { name: company.name, number: String(company.number), type: 'business' as const, kvk_number: company.kvkNr ?? null, email: company.email ?? null };
    const res = await deps.ledger.postOnce(
      { tenantId: l.k.tenantId, koppelingId: l.k._id, entity: 'customer', sourceKey: `nmbrs:${company.id}`, contentHash: contentHash(body), reference: String(company.number) },
      {
        lookup: async (number) => (await retrying(() => mk.listCustomers())).find((c) => normalizeNumber(c.number) === normalizeNumber(number))?.id,
        write: async () => (await mk.createCustomer(body)).id,
      },
    );
    if (res.outcome === 'posted') r.created++;
    else r.unchanged++;
    return res.targetId;
  }

  /** Nmbrs leads: name and KvK number follow it; an update is written once per distinct content. */
  async function updateCustomer(l: Loaded, mk: MijnKantoorClient, company: NmbrsCompany, customer: MkCustomer, r: RelationsResult): Promise<string> {
    const desired = { name: company.name, ...(company.kvkNr ? { kvk_number: company.kvkNr } : {}) };
    if (customer.name === desired.name && (!desired.kvk_number || customer.kvk_number === desired.kvk_number)) {
      r.unchanged++;
      return customer.id;
    }
    const hash = contentHash(desired);
    await deps.ledger.postOnce(
      { tenantId: l.k.tenantId, koppelingId: l.k._id, entity: 'customerUpdate', sourceKey: `nmbrs:${company.id}#${hash.slice(0, 32)}`, contentHash: hash, reference: customer.id },
      // A PUT of the same fields is harmless to repeat, so an uncertain attempt simply writes again.
      { lookup: async () => undefined, write: async () => (await mk.updateCustomer(customer.id, desired)).id },
    );
    r.updated++;
    return customer.id;
  }

  async function syncEmployees(l: Loaded, nmbrs: NmbrsClient, mk: MijnKantoorClient, company: NmbrsCompany, customerId: string, r: RelationsResult): Promise<void> {
    const employees = await retrying(() => nmbrs.listEmployees(company.id));
    if (employees.length === 0) return;
    const contacts = await retrying(() => mk.listContacts(customerId));
    const known = new Set(contacts.map((c) => String(c.number ?? '')));
    for (const e of employees) {
      if (known.has(String(e.number))) continue;
      const body = { name: e.displayName, function: EMPLOYEE_CONTACT_FUNCTION, number: String(e.number), customer_ids: [customerId] };
      const res = await deps.ledger.postOnce(
        { tenantId: l.k.tenantId, koppelingId: l.k._id, entity: 'contact', sourceKey: `${company.id}/${e.id}`, contentHash: contentHash(body), reference: String(e.number) },
        {
          lookup: async (number) => (await retrying(() => mk.listContacts(customerId))).find((c) => c.number === number)?.id,
          write: async () => (await mk.createContact(body)).id,
        },
      );
      if (res.outcome === 'posted') r.contacts++;
    }
  }

  async function outbound(l: Loaded, nmbrs: NmbrsClient, mk: MijnKantoorClient, r: RelationsResult): Promise<void> {
    const customers = await retrying(() => mk.listCustomers());
    const debtors = await retrying(() => nmbrs.listDebtors());
    const companies = await allCompanies(nmbrs);
    for (const m of matchCustomers(customers, companies.map(companyRef), await ctx.companyLinks(l.k._id))) {
      heartbeat({ customerId: m.customer.id });
      if (m.kind === 'ambiguous') {
        r.conflicts.push({ relation: `mijnkantoor:${m.customer.id}`, number: m.customer.number, name: m.customer.name, reason: m.reason });
        continue;
      }
      if (m.kind === 'match') {
        // Mijn Kantoor leads: its address goes to Nmbrs when it differs (Nmbrs has no other company update we use).
        const full = customers.find((c) => c.id === m.customer.id)!;
        if (await pushAddress(deps, l, nmbrs, m.company.id, full)) r.updated++;
        else r.unchanged++;
        continue;
      }
      const debtorId = l.settings.nmbrsDebtorId ?? (debtors.length === 1 ? debtors[0].id : undefined);
      if (debtorId === undefined) {
        r.conflicts.push(conflictWithoutDebtor(m.customer, debtors.length));
        continue;
      }
      const res = await deps.ledger.postOnce(
        { tenantId: l.k.tenantId, koppelingId: l.k._id, entity: 'company', sourceKey: `mijnkantoor:${m.customer.id}`, contentHash: contentHash({ name: m.customer.name, debtorId }), reference: m.customer.name },
        {
          // Company_Insert takes no number (INFERRED: Nmbrs numbers companies itself): found back by name.
          lookup: async (name) => String((await allCompanies(nmbrs)).find((c) => c.name === name)?.id ?? '') || undefined,
          write: async () => String(await nmbrs.insertCompany(debtorId, m.customer.name, 1)),
        },
      );
      // A company created earlier (here or by direct sync) is linked through the ledger, not by number.
      const written = await pushAddress(deps, l, nmbrs, Number(res.targetId), customers.find((c) => c.id === m.customer.id)!);
      if (res.outcome === 'posted') r.created++;
      else if (written) r.updated++;
      else r.unchanged++;
    }
  }

  return async function nmkRelations(input: CycleIds & { customerId?: string }): Promise<RelationsResult> {
    const l = await ctx.load(input.koppelingId);
    const r: RelationsResult = { created: 0, updated: 0, unchanged: 0, contacts: 0, conflicts: [] };
    if (!l.settings.syncRelations) return r;
    return alive(async () => {
      const [nmbrs, mk] = await Promise.all([ctx.nmbrs(l), ctx.mijnkantoor(l)]);
      if (l.settings.direction === 'inbound') await inbound(l, nmbrs, mk, r);
      else await outbound(l, nmbrs, mk, r);
      return r;
    });
  };
}

function conflictWithoutDebtor(c: { id: string; number: string; name: string }, debtors: number): RelationConflict {
  if (debtors === 0) {
    throw new KoppelError({
      type: 'PermissionDenied',
      system: 'nmbrs',
      message: 'the Nmbrs login sees no debtor',
      oorzaak: 'Het Nmbrs-account ziet geen enkele debiteur: er kan geen bedrijf worden aangemaakt.',
      oplossing: 'Koppel met een Nmbrs-gebruiker met Admin-rechten op de debiteur (seed: "beschikken over Admin rechten in Nmbrs").',
    });
  }
  return {
    relation: `mijnkantoor:${c.id}`,
    number: c.number,
    name: c.name,
    reason: `Nmbrs heeft ${debtors} debiteuren; kies bij de koppeling onder welke debiteur nieuwe bedrijven komen (nmbrsDebtorId).`,
  };
}

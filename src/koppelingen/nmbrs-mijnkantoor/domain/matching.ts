/**
 * Relation matching between Nmbrs companies and Mijn Kantoor customers by number ("nummer moet
 * overeenkomen"), leading zeros ignored. A number that matches two records, or none while matching
 * is required, is reported per relation: never guessed.
 *
 * One exception to numbers: a company this koppeling created in Nmbrs for a customer (outbound,
 * Company_Insert) is linked to it through the ledger. Nmbrs numbers new companies itself, so that
 * pair's numbers differ; the link, not the number, says they belong together.
 */

/** Nmbrs company id → Mijn Kantoor customer id, for companies the koppeling created (from the ledger). */
export type CompanyLinks = ReadonlyMap<number, string>;

export function normalizeNumber(n: string | number | null | undefined): string {
  const s = String(n ?? '').trim();
  if (s === '') return '';
  const stripped = s.replace(/^0+/, '');
  return stripped === '' ? '0' : stripped;
}

export interface CompanyRef {
  id: number;
  number: number;
  name: string;
}

export interface CustomerRef {
  id: string;
  number: string;
  name: string;
  type: string;
}

export type Match =
  | { kind: 'match'; company: CompanyRef; customer: CustomerRef }
  | { kind: 'noCustomer'; company: CompanyRef }
  | { kind: 'ambiguous'; company: CompanyRef; customers: CustomerRef[]; companies: CompanyRef[] };

export interface RelationConflict {
  /** Nmbrs company id or Mijn Kantoor customer id. */
  relation: string;
  number: string;
  name: string;
  reason: string;
}

/** Inbound view: per Nmbrs company, its customer. */
export function matchCompanies(companies: CompanyRef[], customers: CustomerRef[], links: CompanyLinks = new Map()): Match[] {
  const customerById = new Map(customers.map((c) => [c.id, c]));
  const byNumber = new Map<string, CustomerRef[]>();
  for (const c of customers) {
    const n = normalizeNumber(c.number);
    if (n) byNumber.set(n, [...(byNumber.get(n) ?? []), c]);
  }
  const companiesByNumber = new Map<string, CompanyRef[]>();
  for (const c of companies) companiesByNumber.set(String(c.number), [...(companiesByNumber.get(String(c.number)) ?? []), c]);
  return companies.map((company): Match => {
    const linked = customerById.get(links.get(company.id) ?? '');
    if (linked) return { kind: 'match', company, customer: linked };
    const n = normalizeNumber(company.number);
    const found = byNumber.get(n) ?? [];
    const twins = companiesByNumber.get(String(company.number)) ?? [];
    if (found.length > 1 || twins.length > 1) return { kind: 'ambiguous', company, customers: found, companies: twins };
    if (found.length === 1) return { kind: 'match', company, customer: found[0] };
    return { kind: 'noCustomer', company };
  });
}

/** The Dutch report line of a relation that could not be matched. */
export function conflictOf(m: Match, numberMustMatch: boolean): RelationConflict | undefined {
  if (m.kind === 'ambiguous') {
    const parts = [];
    if (m.customers.length > 1) parts.push(`${m.customers.length} relaties in Mijn Kantoor (${m.customers.map((c) => `${c.name} ${c.id}`).join(', ')})`);
    if (m.companies.length > 1) parts.push(`${m.companies.length} bedrijven in Nmbrs (${m.companies.map((c) => `${c.name} ${c.id}`).join(', ')})`);
    return {
      relation: `nmbrs:${m.company.id}`,
      number: String(m.company.number),
      name: m.company.name,
      reason: `Nummer ${m.company.number} komt voor bij ${parts.join(' en ')}; maak de nummers uniek, dan wordt de relatie gekoppeld.`,
    };
  }
  if (m.kind === 'noCustomer' && numberMustMatch) {
    return {
      relation: `nmbrs:${m.company.id}`,
      number: String(m.company.number),
      name: m.company.name,
      reason: `Er is geen relatie met nummer ${m.company.number} in Mijn Kantoor; het nummer moet overeenkomen. Geef de relatie in Mijn Kantoor dit nummer of zet "nummer moet overeenkomen" uit.`,
    };
  }
  return undefined;
}

/** Outbound view: per Mijn Kantoor business customer, its Nmbrs company. */
export type OutboundMatch =
  | { kind: 'match'; customer: CustomerRef; company: CompanyRef }
  | { kind: 'noCompany'; customer: CustomerRef }
  | { kind: 'ambiguous'; customer: CustomerRef; reason: string };

export function matchCustomers(customers: CustomerRef[], companies: CompanyRef[], links: CompanyLinks = new Map()): OutboundMatch[] {
  const companyById = new Map(companies.map((c) => [c.id, c]));
  const linkedCompanyOf = new Map([...links].map(([companyId, customerId]) => [customerId, companyId]));
  const customerCount = new Map<string, number>();
  for (const c of customers) customerCount.set(normalizeNumber(c.number), (customerCount.get(normalizeNumber(c.number)) ?? 0) + 1);
  return customers
    .filter((c) => c.type === 'business')
    .map((customer): OutboundMatch => {
      const linked = companyById.get(linkedCompanyOf.get(customer.id) ?? -1);
      if (linked) return { kind: 'match', customer, company: linked };
      const n = normalizeNumber(customer.number);
      if (!n) return { kind: 'ambiguous', customer, reason: `Relatie ${customer.name} heeft geen nummer; geef haar een nummer in Mijn Kantoor.` };
      const found = companies.filter((c) => normalizeNumber(c.number) === n);
      if (found.length > 1 || (customerCount.get(n) ?? 0) > 1) {
        return { kind: 'ambiguous', customer, reason: `Nummer ${customer.number} komt ${found.length > 1 ? `bij ${found.length} bedrijven in Nmbrs` : 'bij meer relaties in Mijn Kantoor'} voor; maak de nummers uniek.` };
      }
      return found.length === 1 ? { kind: 'match', customer, company: found[0] } : { kind: 'noCompany', customer };
    });
}

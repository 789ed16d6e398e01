/**
 * Customers (seed 004 "Klanten", also used by the orders flow): matched in Visma.net by e-mail,
 * then created or updated. A company name gives a business debtor with its contact person; no
 * company gives a person debtor. E-mail is unique in neither system (contract §4, §6.8): two or
 * more Visma.net customers with the address are reported, never guessed between.
 */
import type { FoundCustomer, SourceCustomer, SourceTermsOfPayment, TargetCustomer } from './types';
import { compact, trimTo } from './payload';

export type CustomerMatch = { kind: 'create' } | { kind: 'update'; number: string } | { kind: 'conflict'; numbers: string[]; message: string } | { kind: 'noEmail' };

export const normalEmail = (email: string | null | undefined): string => (email ?? '').trim().toLowerCase();

/** The e-mail a customer is matched on: its own address, else its contact person's. */
export function customerEmail(c: Pick<SourceCustomer, 'EmailAddress' | 'ContactPersonEmail'>): string {
  return normalEmail(c.EmailAddress) || normalEmail(c.ContactPersonEmail);
}

/** 0 found → create, 1 → update that one, 2+ → a conflict the user has to resolve. */
export function matchCustomer(email: string, found: FoundCustomer[]): CustomerMatch {
  const e = normalEmail(email);
  if (!e) return { kind: 'noEmail' };
  // The search may be looser than exact (contract §6.8): only exact matches count.
  const same = found.filter((c) => !c.email || normalEmail(c.email) === e);
  const numbers = [...new Set(same.map((c) => c.number))].sort();
  if (numbers.length === 0) return { kind: 'create' };
  if (numbers.length === 1) return { kind: 'update', number: numbers[0] };
  return {
    kind: 'conflict',
    numbers,
    message: `In Visma.net hebben ${numbers.length} klanten het e-mailadres ${e} (klantnummers ${numbers.join(', ')}); de koppeling kiest daar niet zelf tussen.`,
  };
}

export const DUPLICATE_EMAIL_FIX = 'Voeg de dubbele klanten in Visma.net samen of geef één van hen een ander e-mailadres; de koppeling probeert het daarna bij de volgende synchronisatie opnieuw.';

export type DebtorKind = 'business' | 'person';

/** A company name from the source → business debtor; otherwise a person debtor. */
export function debtorKind(c: Pick<SourceCustomer, 'IsPrivatePerson' | 'Name'>): DebtorKind {
  return !c.IsPrivatePerson && (c.Name ?? '').trim() ? 'business' : 'person';
}

/** Terms of payment → Visma.net credit terms and payment method, by the settings' mapping (name or id). */
export function mapPaymentTerms(
  termsId: string | null | undefined,
  terms: SourceTermsOfPayment[],
  s: { paymentTerms: Record<string, string>; defaultPaymentTerm?: string; paymentMethods: Record<string, string>; defaultPaymentMethod?: string },
): { creditTermsId?: string; paymentMethodId?: string; unmapped?: string } {
  const t = termsId ? terms.find((x) => x.Id === termsId) : undefined;
  const keys = [termsId ?? '', t?.Name ?? '', t?.NameEnglish ?? ''].filter(Boolean);
  const lookup = (table: Record<string, string>) => {
    for (const k of keys) {
      const hit = table[k] ?? Object.entries(table).find(([name]) => name.trim().toLowerCase() === k.trim().toLowerCase())?.[1];
      if (hit) return hit;
    }
    return undefined;
  };
  const creditTermsId = lookup(s.paymentTerms) ?? s.defaultPaymentTerm;
  const paymentMethodId = lookup(s.paymentMethods) ?? s.defaultPaymentMethod;
  const unmapped = termsId && !lookup(s.paymentTerms) && !s.defaultPaymentTerm ? t?.Name ?? termsId : undefined;
  return { ...(creditTermsId ? { creditTermsId } : {}), ...(paymentMethodId ? { paymentMethodId } : {}), ...(unmapped ? { unmapped } : {}) };
}

/**
 * The seed's default customer mapping. Business: the company as the customer, the contact person
 * as its main contact. Person: the person's name on both (Visma.net has no person flag, §6.11).
 */
export function defaultCustomer(c: SourceCustomer, opts: { businessClass?: string; personClass?: string; creditTermsId?: string }): TargetCustomer {
  const kind = debtorKind(c);
  const address = {
    addressLine1: trimTo(c.InvoiceAddress1, 50),
    addressLine2: trimTo(c.InvoiceAddress2, 50),
    postalCode: trimTo(c.InvoicePostalCode, 10),
    city: trimTo(c.InvoiceCity, 50),
    countryId: trimTo(c.InvoiceCountryCode, 2)?.toUpperCase(),
  };
  const email = trimTo(c.EmailAddress, 255) ?? trimTo(c.ContactPersonEmail, 255);
  const contact =
    kind === 'business'
      ? { name: trimTo(c.ContactPersonName, 50), attention: trimTo(c.ContactPersonName, 50), email, phone1: trimTo(c.ContactPersonPhone ?? c.Telephone, 30), phone2: trimTo(c.MobilePhone, 30) }
      : { name: trimTo(c.Name, 50), email, phone1: trimTo(c.Telephone ?? c.MobilePhone, 30) };
  return compact({
    name: trimTo(c.Name, 60) ?? email ?? c.Id,
    status: c.IsActive === false ? 'Inactive' : 'Active',
    currencyId: trimTo(c.CurrencyCode, 3),
    customerClassId: kind === 'business' ? opts.businessClass : opts.personClass,
    creditTermsId: opts.creditTermsId,
    vatRegistrationId: kind === 'business' ? trimTo(c.VatNumber, 20) : undefined,
    corporateId: kind === 'business' ? trimTo(c.CorporateIdentityNumber, 20) : undefined,
    mainAddress: address,
    mainContact: contact,
    invoiceAddress: address,
    invoiceContact: contact,
  }) as TargetCustomer;
}

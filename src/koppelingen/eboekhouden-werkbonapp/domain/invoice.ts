/**
 * Werkbon → e-Boekhouden invoice, pure (no I/O, unit-tested without servers).
 *
 *   WerkbonApp werkbon ──buildInvoiceDraft──▶ draft (lines with quantities and prices)
 *   draft + e-Boekhouden artikelen ──completeInvoiceLines──▶ AddFactuur lines (BTW code, grootboek)
 *
 * Hours are grouped per hour type (minutes summed, then converted to hours) at the hour type's
 * price; materials are invoiced at the price on the werkbon. Amounts are computed the way
 * e-Boekhouden does (quantity × unit price, rounded to cents), so the totals we log match the
 * invoice.
 */
import type { FactuurRegelInput, HourType, Relation, Workorder, WorkorderParty } from './types';
import { formatLocal } from '../../../domain/cadence';
import { contentHash } from '../../../domain/hash';

/**
 * Every choice the public sources do not settle, in one place (contract: INFERRED).
 */
export const WERKBON_RULES = {
  /** Hours on the invoice: minutes / 60, rounded to 4 decimals (REST `quantity` has 4 decimals). */
  hoursDecimals: 4,
  /** Material quantities: 4 decimals, like hours. */
  quantityDecimals: 4,
  /** Eenheid on an hours line when e-Boekhouden has no product with the hour type's code. */
  hoursUnit: 'Uur',
  /**
   * Deterministic invoice number per werkbon (also the ledger reference and the GetFacturen lookup
   * key): the werkbon number when e-Boekhouden can take it as Factuurnummer (≤ 50 characters,
   * plain characters, ending in a digit as the REST API demands), else `WBA-<row id>`.
   */
  invoiceNumberPattern: /^[A-Za-z0-9][A-Za-z0-9._/-]{0,48}[0-9]$/,
  invoiceNumberFallbackPrefix: 'WBA-',
  /** New relaties get BP "B" (bedrijf): WerkbonApp does not tell companies and persons apart. */
  newRelatieBp: 'B' as const,
} as const;

/**
 * INFERRED: the invoice is dated the day it is made (Dutch date), not the werkbon's work date: a
 * work date can lie in a period the bookkeeper has already closed.
 */
export function invoiceDate(now: Date): string {
  return formatLocal(now).slice(0, 10);
}

// ------------------------------------------------------------------------------------ rounding

/** Round half away from zero to `decimals`, without binary drift (1.005 → 1.01). */
export function roundTo(n: number, decimals: number): number {
  const f = 10 ** decimals;
  return (Math.sign(n) * Math.round(Math.abs(n) * f + 1e-7)) / f;
}

/** Cents of quantity × price, as e-Boekhouden computes a line (integer, so sums stay exact). */
export function lineCents(quantity: number, unitPrice: number): number {
  // Scale both to integers first: 1.6667 × 55 is 91.6685 exactly, not 91.66849999.
  const q = Math.round(quantity * 10_000);
  const p = Math.round(unitPrice * 10_000);
  const ten8 = q * p; // quantity and price each × 10^4
  return Math.sign(ten8) * Math.round(Math.abs(ten8) / 1_000_000 + 1e-9);
}

export function minutesToHours(minutes: number): number {
  return roundTo(minutes / 60, WERKBON_RULES.hoursDecimals);
}

export function formatEuro(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  const euros = Math.floor(abs / 100).toString().replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  return `${sign}€ ${euros},${String(abs % 100).padStart(2, '0')}`;
}

// ------------------------------------------------------------------------------------ problems

/** Why one werkbon cannot be invoiced (Dutch, for the log); it stays Compleet and is retried. */
export interface WerkbonProblem {
  code: 'NO_LINES' | 'NO_HOUR_TYPE' | 'UNKNOWN_HOUR_TYPE' | 'NO_DEBTOR' | 'BAD_QUANTITY' | 'RELATIE_INCOMPLETE';
  oorzaak: string;
  oplossing: string;
}

// ------------------------------------------------------------------------------------ the draft

export interface DraftLine {
  kind: 'uren' | 'materiaal';
  code: string;
  omschrijving: string;
  eenheid: string;
  aantal: number;
  /** Unit price excl. VAT, euros. */
  prijs: number;
  /** aantal × prijs in cents. */
  bedragCents: number;
  /** Hours lines: the minutes behind `aantal`. */
  minuten?: number;
}

/** The relation data the koppeling can send to e-Boekhouden (from WerkbonApp). */
export interface RelatieData {
  code: string;
  bedrijf: string;
  contactpersoon: string;
  adres: string;
  postcode: string;
  plaats: string;
  email: string;
  telefoon: string;
}

export interface InvoiceDraft {
  werkbonId: string;
  workorderNo: string;
  /** Factuurnummer in e-Boekhouden; also the ledger reference. */
  reference: string;
  debtorNr: string;
  relatie: RelatieData;
  /**
   * True when `relatie` comes from WerkbonApp's relation record (maintained by the office); false
   * when only the invoice party typed on the werkbon was there. Only a record may change an
   * existing relatie in e-Boekhouden; typed werkbon data may only create a missing one.
   */
  relatieFromRecord: boolean;
  lines: DraftLine[];
  totaalExclCents: number;
  /** Hash of what is invoiced (not of when), for the ledger. */
  hash: string;
}

export type DraftResult = { ok: true; draft: InvoiceDraft } | { ok: false; problem: WerkbonProblem };

/** The hour types WerkbonApp knows, by code (name and sale price). */
export type HourTypeIndex = ReadonlyMap<string, Pick<HourType, 'code' | 'name' | 'salePrice'>>;

export function indexHourTypes(hourTypes: ReadonlyArray<Pick<HourType, 'code' | 'name' | 'salePrice'>>): HourTypeIndex {
  return new Map(hourTypes.map((h) => [h.code.trim().toUpperCase(), h]));
}

export function invoiceReference(w: Pick<Workorder, 'id' | 'workorderNo'>): string {
  const no = w.workorderNo.trim();
  return WERKBON_RULES.invoiceNumberPattern.test(no) ? no : `${WERKBON_RULES.invoiceNumberFallbackPrefix}${w.id}`;
}

const clean = (s: string | undefined | null) => (s ?? '').replace(/\s+/g, ' ').trim();

export function joinAddress(street: string, houseNumber: string): string {
  return [clean(street), clean(houseNumber)].filter(Boolean).join(' ');
}

/** "Keizersgracht 112" → street + house number; the inverse of joinAddress for ordinary addresses. */
export function splitAddress(adres: string): { street: string; houseNumber: string } {
  const a = clean(adres);
  // House number: the last number, with an optional suffix ("14a", "58-2", "12 bis", "7 A").
  const m = /^(.+)\s+(\d+[A-Za-z]{0,2}(?:[-/][A-Za-z0-9]{1,4})?(?:\s+(?:[A-Za-z]|bis|hs))?)$/i.exec(a);
  return m ? { street: m[1].trim(), houseNumber: m[2].trim() } : { street: a, houseNumber: '' };
}

/**
 * The relation to invoice: WerkbonApp's relation record when it has one with the debtor number
 * (the office maintains it), else the invoice party as typed on the werkbon.
 */
export function relatieFromWerkbonApp(debtorNr: string, relation: Relation | undefined, party: WorkorderParty): RelatieData {
  if (relation) {
    return {
      code: debtorNr,
      bedrijf: clean(relation.name),
      contactpersoon: clean(relation.contact),
      adres: joinAddress(relation.street, relation.houseNumber),
      postcode: clean(relation.postalCode),
      plaats: clean(relation.city),
      email: clean(relation.email),
      telefoon: clean(relation.phoneNumber),
    };
  }
  return {
    code: debtorNr,
    bedrijf: clean(party.name),
    contactpersoon: clean(party.contactPerson),
    adres: joinAddress(party.street, party.streetNo),
    postcode: clean(party.zip),
    plaats: clean(party.city),
    email: clean(party.email),
    telefoon: clean(party.phone),
  };
}

/**
 * Werkbon → draft invoice. Fails (for this werkbon only) when an hour has no or an unknown hour
 * type, a quantity is invalid, there is no debtor, or there is nothing to invoice.
 */
export function buildInvoiceDraft(w: Workorder, hourTypes: HourTypeIndex, relation?: Relation): DraftResult {
  const no = w.workorderNo || w.id;
  const debtorNr = clean(w.invoiceCustomer.debtorNr);
  if (!debtorNr) {
    return fail('NO_DEBTOR', `Werkbon ${no} heeft geen debiteur (factuuradres) in WerkbonApp.`, 'Vul bij de werkbon in WerkbonApp de klant voor de factuur in en start de synchronisatie opnieuw.');
  }

  // Hours: minutes per hour type, in the order the hour types first appear on the werkbon.
  const minutesByType = new Map<string, number>();
  for (const p of w.workperiods) {
    if (p.totalMinutes <= 0) continue;
    const type = clean(p.hourType).toUpperCase();
    if (!type) {
      return fail('NO_HOUR_TYPE', `Werkbon ${no} bevat uren zonder uursoort${p.workDate ? ` (${p.workDate})` : ''}.`, 'Kies in WerkbonApp een uursoort bij elke werkperiode van de werkbon.');
    }
    minutesByType.set(type, (minutesByType.get(type) ?? 0) + p.totalMinutes);
  }
  const lines: DraftLine[] = [];
  for (const [type, minuten] of minutesByType) {
    const ht = hourTypes.get(type);
    if (!ht) {
      return fail(
        'UNKNOWN_HOUR_TYPE',
        `Werkbon ${no} gebruikt uursoort ${type}, die WerkbonApp niet (meer) kent.`,
        `Maak uursoort ${type} aan in e-Boekhouden.nl (Factureren > Producten/diensten, eenheid Uur, status Actief) zodat de koppeling haar importeert, of kies een andere uursoort op de werkbon.`,
      );
    }
    const aantal = minutesToHours(minuten);
    lines.push({ kind: 'uren', code: ht.code, omschrijving: clean(ht.name) || ht.code, eenheid: WERKBON_RULES.hoursUnit, aantal, prijs: ht.salePrice, bedragCents: lineCents(aantal, ht.salePrice), minuten });
  }

  // Materials: same code, price, unit and name are one line (quantities summed).
  const byKey = new Map<string, DraftLine>();
  for (const m of w.materials) {
    if (!Number.isFinite(m.quantity) || !Number.isFinite(m.price) || m.price < 0) {
      return fail('BAD_QUANTITY', `Werkbon ${no}: materiaal ${m.code} heeft een ongeldig aantal of een ongeldige prijs.`, 'Corrigeer het materiaal op de werkbon in WerkbonApp.');
    }
    if (m.quantity === 0) continue;
    const key = JSON.stringify([m.code, m.price, m.unit, m.name]);
    const line = byKey.get(key);
    if (line) line.aantal = roundTo(line.aantal + m.quantity, WERKBON_RULES.quantityDecimals);
    else byKey.set(key, { kind: 'materiaal', code: clean(m.code), omschrijving: clean(m.name) || clean(m.code), eenheid: clean(m.unit), aantal: roundTo(m.quantity, WERKBON_RULES.quantityDecimals), prijs: m.price, bedragCents: 0 });
  }
  for (const line of byKey.values()) {
    line.bedragCents = lineCents(line.aantal, line.prijs);
    lines.push(line);
  }
  if (lines.length === 0) {
    return fail('NO_LINES', `Werkbon ${no} bevat geen uren of materialen om te factureren.`, 'Vul de werkbon aan in WerkbonApp, of haal de werkbonstatus "naar E-boekhouden" eraf als er niets te factureren is.');
  }

  const relatie = relatieFromWerkbonApp(debtorNr, relation, w.invoiceCustomer);
  const totaalExclCents = lines.reduce((a, l) => a + l.bedragCents, 0);
  const reference = invoiceReference(w);
  const hash = contentHash({ reference, debtorNr, lines: lines.map(({ code, eenheid, aantal, prijs, omschrijving }) => ({ code, eenheid, aantal, prijs, omschrijving })) });
  return { ok: true, draft: { werkbonId: w.id, workorderNo: w.workorderNo, reference, debtorNr, relatie, relatieFromRecord: !!relation, lines, totaalExclCents, hash } };
}

function fail(code: WerkbonProblem['code'], oorzaak: string, oplossing: string): DraftResult {
  return { ok: false, problem: { code, oorzaak, oplossing } };
}

// ------------------------------------------------------------------------------------ completing lines

/** What e-Boekhouden's product with a code tells the invoice line. */
export interface ArtikelBooking {
  btwCode: string;
  tegenrekeningCode: string;
  eenheid: string;
}

export interface LineDefaults {
  btwCode: string;
  omzetrekeningUren: string;
  omzetrekeningMaterialen: string;
}

/**
 * Draft lines → AddFactuur lines. BTW code and revenue ledger come from the e-Boekhouden product
 * with the same code (that is where the bookkeeper set them); lines without one use the defaults.
 */
export function completeInvoiceLines(lines: DraftLine[], artikelen: ReadonlyMap<string, ArtikelBooking>, defaults: LineDefaults): FactuurRegelInput[] {
  return lines.map((l) => {
    const a = artikelen.get(l.code.toUpperCase());
    return {
      aantal: l.aantal,
      eenheid: l.eenheid || a?.eenheid || '',
      code: l.code,
      omschrijving: l.omschrijving,
      prijsPerEenheid: l.prijs,
      btwCode: a?.btwCode || defaults.btwCode,
      tegenrekeningCode: a?.tegenrekeningCode || (l.kind === 'uren' ? defaults.omzetrekeningUren : defaults.omzetrekeningMaterialen),
    };
  });
}

// ------------------------------------------------------------------------------------ relations to e-Boekhouden

/** Fields the relatie in e-Boekhouden misses for an invoice (AddRelatie needs code and name). */
export function relatieProblem(r: RelatieData): WerkbonProblem | undefined {
  if (!r.bedrijf) {
    return {
      code: 'RELATIE_INCOMPLETE',
      oorzaak: `Relatie ${r.code} heeft geen naam in WerkbonApp en kan niet in e-Boekhouden.nl worden aangemaakt.`,
      oplossing: `Vul de naam van relatie ${r.code} in WerkbonApp (Relaties) in, of maak de relatie aan in e-Boekhouden.nl.`,
    };
  }
  if (r.code.length > 15) {
    return {
      code: 'RELATIE_INCOMPLETE',
      oorzaak: `Debiteurnummer ${r.code} is langer dan de 15 tekens die e-Boekhouden.nl toestaat voor een relatiecode.`,
      oplossing: 'Geef de relatie in WerkbonApp een korter debiteurnummer (gelijk aan de relatiecode in e-Boekhouden.nl).',
    };
  }
  return undefined;
}

/** The e-Boekhouden side of the fields WerkbonApp maintains. */
export type RelatieCurrent = Omit<RelatieData, 'code'> & { gsm: string };

/**
 * The fields to change in e-Boekhouden so the relatie matches WerkbonApp, or {} when it already
 * does. An empty WerkbonApp value never blanks a filled one, and a phone number that e-Boekhouden
 * has as mobile counts as equal (the import sends telefoon or else gsm to WerkbonApp).
 */
export function relatieChanges(current: RelatieCurrent, desired: RelatieData): Partial<RelatieData> {
  const norm = (s: string) => clean(s).toLowerCase();
  const out: Partial<RelatieData> = {};
  const fields = ['bedrijf', 'contactpersoon', 'adres', 'postcode', 'plaats', 'email'] as const;
  for (const f of fields) {
    if (desired[f] && norm(desired[f]) !== norm(current[f])) out[f] = desired[f];
  }
  if (desired.telefoon && ![current.telefoon, current.gsm].map(norm).includes(norm(desired.telefoon))) out.telefoon = desired.telefoon;
  return out;
}

/** What the ledger holds of earlier updates of one relatie. */
export interface RelatieUpdateEntry {
  sourceKey: string;
  contentHash: string;
}

/**
 * The ledger key of the update that brings a relatie in e-Boekhouden to WerkbonApp's data. Updates
 * are numbered per relatie (`REL002#u1`, `#u2`, ...). While WerkbonApp's data stays the same, the
 * newest entry stands for it: once posted, a bookkeeper's own later edit in e-Boekhouden is kept.
 * Any change in WerkbonApp, also back to an earlier version (A → B → A), gets the next number, so
 * it is written again instead of being mistaken for the old, already posted one.
 */
export function relatieUpdateKey(code: string, desiredHash: string, earlier: readonly RelatieUpdateEntry[]): string {
  const prefix = `${code}#u`;
  let latest: { n: number; entry: RelatieUpdateEntry } | undefined;
  for (const entry of earlier) {
    if (!entry.sourceKey.startsWith(prefix)) continue;
    const n = Number(entry.sourceKey.slice(prefix.length));
    if (Number.isInteger(n) && n > 0 && (!latest || n > latest.n)) latest = { n, entry };
  }
  if (latest && latest.entry.contentHash === desiredHash) return latest.entry.sourceKey;
  return `${prefix}${(latest?.n ?? 0) + 1}`;
}

/**
 * AddMutatie rules, GetMutaties selection, open posts and ledger balances for one administration.
 *
 * INFERRED (contract A5/Q4, kept here): a Memoriaal without header `Rekening` books each line's
 * BedragInclBTW on its TegenrekeningCode, positive = debet, negative = credit, and the lines must
 * sum to zero; with a `Rekening` the opposite of the line total goes to that account (balanced by
 * construction). Line amounts must be consistent: Excl + BTW = Incl and BedragInvoer equals Incl
 * (InExBTW IN) or Excl (EX).
 */
import { isBtwCode, round2 } from './btw';
import { ledgerUnknownText, periodClosedText } from './error-codes';
import type { Administratie } from './administratie';
import { ebError } from './sim-error';
import type { MutatieRecord, MutatieRegelRecord, MutatieSoort, OpenPostRecord } from './types';

/** Decoded cMutatie as the codec hands it over (element names, optional where the WSDL allows). */
export interface MutatieInput {
  Soort?: MutatieSoort;
  Datum?: string;
  Rekening?: string;
  RelatieCode?: string;
  Factuurnummer?: string;
  Boekstuk?: string;
  Omschrijving?: string;
  Betalingstermijn?: string;
  Betalingskenmerk?: string;
  InExBTW?: string;
  MutatieRegels?: Array<Partial<MutatieRegelRecord> | null>;
}

const INVOICE: MutatieSoort[] = ['FactuurVerstuurd', 'FactuurOntvangen'];
const PAYMENT: MutatieSoort[] = ['FactuurbetalingOntvangen', 'FactuurbetalingVerstuurd'];
const NO_HEADER_ACCOUNT: MutatieSoort[] = ['Memoriaal', 'OpeningsSaldo'];
const sum = (xs: number[]) => round2(xs.reduce((a, b) => a + b, 0));

export function assertOpenPeriod(adm: Administratie, datum: string): void {
  const tm = adm.info.AfgeslotenTm;
  if (tm && datum <= tm) throw ebError('periodClosed', periodClosedText(datum, tm));
}

export function assertLedgersExist(adm: Administratie, codes: string[]): void {
  const missing = [...new Set(codes.filter((c) => !adm.findGrootboek(c)))];
  if (missing.length) throw ebError('ledgerUnknown', ledgerUnknownText(missing));
}

export function isInvoiceNumberUsed(adm: Administratie, nr: string): boolean {
  const n = nr.trim().toLowerCase();
  return (
    adm.facturen.some((f) => f.Factuurnummer.toLowerCase() === n) ||
    adm.mutaties.some((m) => m.Soort === 'FactuurVerstuurd' && m.Factuurnummer.toLowerCase() === n)
  );
}

function normaliseRegels(input: MutatieInput, factuurnummer: string): MutatieRegelRecord[] {
  const regels = (input.MutatieRegels ?? []).filter((r): r is Partial<MutatieRegelRecord> => !!r);
  if (regels.length === 0) throw ebError('mutatieInvalid', 'Een mutatie moet minimaal één mutatieregel bevatten.');
  return regels.map((r, i) => {
    const regel: MutatieRegelRecord = {
      BedragInvoer: r.BedragInvoer ?? 0,
      BedragExclBTW: r.BedragExclBTW ?? 0,
      BedragBTW: r.BedragBTW ?? 0,
      BedragInclBTW: r.BedragInclBTW ?? 0,
      BTWCode: (r.BTWCode ?? '').trim() || 'GEEN',
      BTWPercentage: r.BTWPercentage ?? 0,
      Factuurnummer: factuurnummer,
      TegenrekeningCode: (r.TegenrekeningCode ?? '').trim(),
      KostenplaatsID: r.KostenplaatsID ?? 0,
    };
    if (!regel.TegenrekeningCode) throw ebError('mutatieInvalid', `Regel ${i + 1}: TegenrekeningCode is verplicht.`);
    if (!isBtwCode(regel.BTWCode)) throw ebError('btwCodeInvalid', `Regel ${i + 1}: BTW-code ${regel.BTWCode} is ongeldig.`);
    return regel;
  });
}

function assertAmountsConsistent(regels: MutatieRegelRecord[], inEx: 'IN' | 'EX'): void {
  regels.forEach((r, i) => {
    const invoer = inEx === 'IN' ? r.BedragInclBTW : r.BedragExclBTW;
    if (Math.abs(r.BedragExclBTW + r.BedragBTW - r.BedragInclBTW) > 0.011 || Math.abs(r.BedragInvoer - invoer) > 0.011) {
      throw ebError(
        'amountsInconsistent',
        `Regel ${i + 1}: bedragen kloppen niet (invoer ${r.BedragInvoer}, excl ${r.BedragExclBTW}, btw ${r.BedragBTW}, incl ${r.BedragInclBTW}, ${inEx} btw).`,
      );
    }
  });
}

export interface AddMutatieOptions {
  /** AddFactuur books its own, already validated invoice: skip the invoice-number check. */
  fromFactuur?: boolean;
}

export function addMutatie(adm: Administratie, input: MutatieInput | undefined | null, opts: AddMutatieOptions = {}): number {
  if (!input) throw ebError('mutatieInvalid', 'Geen mutatie opgegeven.');
  const soort = input.Soort ?? 'Memoriaal';
  const datum = input.Datum ?? '0001-01-01';
  if (datum === '0001-01-01') throw ebError('mutatieInvalid', 'Datum is verplicht.');
  const inEx = (input.InExBTW || 'EX').toUpperCase();
  if (inEx !== 'IN' && inEx !== 'EX') throw ebError('mutatieInvalid', 'InExBTW moet IN of EX zijn.');
  const rekening = (input.Rekening ?? '').trim();
  const relatieCode = (input.RelatieCode ?? '').trim();
  const factuurnummer = (input.Factuurnummer ?? '').trim();
  if (!NO_HEADER_ACCOUNT.includes(soort) && !rekening) throw ebError('mutatieInvalid', `Rekening is verplicht bij soort ${soort}.`);
  if (INVOICE.includes(soort) || PAYMENT.includes(soort)) {
    if (!relatieCode) throw ebError('mutatieInvalid', `RelatieCode is verplicht bij soort ${soort}.`);
    if (!factuurnummer) throw ebError('mutatieInvalid', `Factuurnummer is verplicht bij soort ${soort}.`);
    if (!adm.findRelatie(relatieCode)) throw ebError('relatieUnknown', `Relatie met code ${relatieCode} bestaat niet.`);
  }
  if (factuurnummer.length > 50) throw ebError('mutatieInvalid', 'Factuurnummer mag maximaal 50 tekens bevatten.');
  const regels = normaliseRegels(input, factuurnummer);

  assertOpenPeriod(adm, datum);
  assertLedgersExist(adm, [...(rekening ? [rekening] : []), ...regels.map((r) => r.TegenrekeningCode)]);
  assertAmountsConsistent(regels, inEx);
  if (soort === 'Memoriaal' && !rekening) {
    const verschil = sum(regels.map((r) => r.BedragInclBTW));
    if (verschil !== 0) throw ebError('unbalanced', `De memoriaalboeking is niet in balans: debet en credit verschillen ${verschil.toFixed(2)}.`);
  }
  if (!opts.fromFactuur) checkInvoiceNumber(adm, soort, relatieCode, factuurnummer);
  const post = PAYMENT.includes(soort) ? findPaidPost(adm, soort, relatieCode, factuurnummer) : undefined;

  const rec: MutatieRecord = {
    MutatieNr: adm.nextMutatieNr(),
    Soort: soort,
    Datum: datum,
    Rekening: rekening,
    RelatieCode: relatieCode,
    Factuurnummer: factuurnummer,
    Boekstuk: input.Boekstuk ?? '',
    Omschrijving: input.Omschrijving ?? '',
    Betalingstermijn: input.Betalingstermijn ?? '',
    Betalingskenmerk: input.Betalingskenmerk ?? '',
    InExBTW: inEx,
    MutatieRegels: regels,
  };
  adm.mutaties.push(rec);
  const total = sum(regels.map((r) => r.BedragInclBTW));
  if (INVOICE.includes(soort)) {
    adm.openPosten.push({
      Soort: soort === 'FactuurVerstuurd' ? 'Debiteuren' : 'Crediteuren',
      MutatieNr: rec.MutatieNr,
      MutDatum: datum,
      MutFactuur: factuurnummer,
      RelCode: relatieCode,
      Bedrag: total,
      Voldaan: 0,
    });
  }
  if (post) post.Voldaan = round2(post.Voldaan + total);
  return rec.MutatieNr;
}

function checkInvoiceNumber(adm: Administratie, soort: MutatieSoort, relatieCode: string, nr: string): void {
  if (soort === 'FactuurVerstuurd' && isInvoiceNumberUsed(adm, nr)) {
    throw ebError('factuurnummerExists', `Factuurnummer ${nr} is al in gebruik.`);
  }
  const dup = adm.mutaties.some((m) => m.Soort === 'FactuurOntvangen' && m.Factuurnummer === nr && m.RelatieCode.toLowerCase() === relatieCode.toLowerCase());
  if (soort === 'FactuurOntvangen' && dup) {
    throw ebError('factuurnummerExists', `Factuurnummer ${nr} van relatie ${relatieCode} is al geboekt.`);
  }
}

function findPaidPost(adm: Administratie, soort: MutatieSoort, relatieCode: string, nr: string): OpenPostRecord {
  const kind = soort === 'FactuurbetalingOntvangen' ? 'Debiteuren' : 'Crediteuren';
  const post = adm.openPosten.find((p) => p.Soort === kind && p.MutFactuur === nr && p.RelCode.toLowerCase() === relatieCode.toLowerCase());
  if (!post) throw ebError('mutatieInvalid', `Factuur ${nr} van relatie ${relatieCode} niet gevonden bij de open posten.`);
  return post;
}

// ---------------------------------------------------------------- GetMutaties

export interface MutatieFilter {
  MutatieNr?: number;
  MutatieNrVan?: number;
  MutatieNrTm?: number;
  Factuurnummer?: string;
  DatumVan?: string;
  DatumTm?: string;
}

/** SOAP GetMutaties never returns more than the last 500 mutations (contract A5). */
export const GET_MUTATIES_MAX_ROWS = 500;

/**
 * INFERRED: the filter is applied first, then the 500 most recent matches (highest MutatieNr)
 * are returned, newest first — so a lookup by Factuurnummer still finds an old booking.
 */
export function selectMutaties(adm: Administratie, f: MutatieFilter): MutatieRecord[] {
  const nr = f.MutatieNr ?? 0;
  const van = f.MutatieNrVan ?? 0;
  const tm = f.MutatieNrTm ?? 0;
  const factuur = (f.Factuurnummer ?? '').trim().toLowerCase();
  const datumVan = f.DatumVan && f.DatumVan !== '0001-01-01' ? f.DatumVan : undefined;
  const datumTm = f.DatumTm && f.DatumTm !== '0001-01-01' ? f.DatumTm : undefined;
  return adm.mutaties
    .filter(
      (m) =>
        (!nr || m.MutatieNr === nr) &&
        (!van || m.MutatieNr >= van) &&
        (!tm || m.MutatieNr <= tm) &&
        (!factuur || m.Factuurnummer.toLowerCase() === factuur) &&
        (!datumVan || m.Datum >= datumVan) &&
        (!datumTm || m.Datum <= datumTm),
    )
    .sort((a, b) => b.MutatieNr - a.MutatieNr)
    .slice(0, GET_MUTATIES_MAX_ROWS);
}

// ---------------------------------------------------------------- balances (GetSaldo / GetSaldi)

interface Posting {
  code: string;
  amount: number;
  kostenplaatsId: number;
  datum: string;
}

/** VAT goes to the first ledger of the matching category, when the chart has one. */
function vatLedger(adm: Administratie, btwCode: string): string | undefined {
  const cat = btwCode.includes('_INK') || btwCode === 'AFW' ? 'VOOR' : btwCode.startsWith('LAAG') ? 'AF6' : 'AF19';
  return adm.ledgerOfCategorie(cat)?.Code;
}

/** Double-entry postings of a mutation, debet positive. */
export function postings(adm: Administratie, m: MutatieRecord): Posting[] {
  const out: Posting[] = [];
  const add = (code: string | undefined, amount: number, kostenplaatsId = 0) => {
    if (code && amount !== 0) out.push({ code, amount: round2(amount), kostenplaatsId, datum: m.Datum });
  };
  // sign: +1 when the line account is debited (costs, purchases, memoriaal debet lines).
  const sign: Record<MutatieSoort, number> = {
    OpeningsSaldo: 1, Memoriaal: 1, FactuurOntvangen: 1, GeldUitgegeven: 1, FactuurbetalingVerstuurd: 1,
    FactuurVerstuurd: -1, GeldOntvangen: -1, FactuurbetalingOntvangen: -1,
  };
  const s = sign[m.Soort];
  const payment = m.Soort === 'FactuurbetalingOntvangen' || m.Soort === 'FactuurbetalingVerstuurd';
  for (const r of m.MutatieRegels) {
    if (payment) add(r.TegenrekeningCode, s * r.BedragInclBTW, r.KostenplaatsID);
    else {
      add(r.TegenrekeningCode, s * r.BedragExclBTW, r.KostenplaatsID);
      add(vatLedger(adm, r.BTWCode) ?? r.TegenrekeningCode, s * r.BedragBTW);
    }
  }
  if (m.Rekening) add(m.Rekening, -s * sum(m.MutatieRegels.map((r) => r.BedragInclBTW)));
  return out;
}

export function saldo(adm: Administratie, code: string | undefined, kostenplaatsId: number, van?: string | null, tot?: string | null): number {
  const all = adm.mutaties.flatMap((m) => postings(adm, m));
  return sum(
    all
      .filter((p) => (!code || p.code === code) && (!kostenplaatsId || p.kostenplaatsId === kostenplaatsId))
      .filter((p) => (!van || p.datum >= van) && (!tot || p.datum <= tot))
      .map((p) => p.amount),
  );
}

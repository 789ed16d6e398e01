/**
 * AddMutatie rules, GetMutaties selection, open posts and ledger balances for one administration.
 * The guessed rules (memoriaal sign convention, amount checks, filter before the 500-row cap, …)
 * are in inferred.ts; this file applies them.
 */
import { isBtwCode, round2 } from './btw';
import {
  BOOKING_DATE_REQUIRED_TEXT,
  capMutaties,
  dateBound,
  DEFAULT_BTW_CODE,
  DEFAULT_IN_EX_BTW,
  invoiceNumberTaken,
  isInClosedPeriod,
  isUnsetDate,
  ledgerUnknownText,
  lineAmountsConsistent,
  lineSign,
  MEMORIAAL_WITHOUT_REKENING_MUST_BALANCE,
  periodClosedText,
  SOORTEN_WITHOUT_HEADER_REKENING,
  vatLedgerCategorie,
} from './inferred';
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
const sum = (xs: number[]) => round2(xs.reduce((a, b) => a + b, 0));

export function assertOpenPeriod(adm: Administratie, datum: string): void {
  const tm = adm.info.AfgeslotenTm;
  if (tm && isInClosedPeriod(datum, tm)) throw ebError('periodClosed', periodClosedText(datum, tm));
}

export function assertLedgersExist(adm: Administratie, codes: string[]): void {
  const missing = [...new Set(codes.filter((c) => !adm.findGrootboek(c)))];
  if (missing.length) throw ebError('ledgerUnknown', ledgerUnknownText(missing));
}

/** Sales invoice numbers in use: AddFactuur invoices and FactuurVerstuurd mutaties. */
function salesNumbers(adm: Administratie): string[] {
  return [...adm.facturen.map((f) => f.Factuurnummer), ...adm.mutaties.filter((m) => m.Soort === 'FactuurVerstuurd').map((m) => m.Factuurnummer)];
}

export function isInvoiceNumberUsed(adm: Administratie, nr: string): boolean {
  return invoiceNumberTaken('FactuurVerstuurd', nr, '', salesNumbers(adm), adm.mutaties);
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
      BTWCode: (r.BTWCode ?? '').trim() || DEFAULT_BTW_CODE,
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
    if (!lineAmountsConsistent(r, inEx)) {
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
  if (isUnsetDate(input.Datum)) throw ebError('mutatieInvalid', BOOKING_DATE_REQUIRED_TEXT);
  const datum = input.Datum as string;
  const inEx = (input.InExBTW || DEFAULT_IN_EX_BTW).toUpperCase();
  if (inEx !== 'IN' && inEx !== 'EX') throw ebError('mutatieInvalid', 'InExBTW moet IN of EX zijn.');
  const rekening = (input.Rekening ?? '').trim();
  const relatieCode = (input.RelatieCode ?? '').trim();
  const factuurnummer = (input.Factuurnummer ?? '').trim();
  if (!SOORTEN_WITHOUT_HEADER_REKENING.includes(soort) && !rekening) throw ebError('mutatieInvalid', `Rekening is verplicht bij soort ${soort}.`);
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
  if (MEMORIAAL_WITHOUT_REKENING_MUST_BALANCE && soort === 'Memoriaal' && !rekening) {
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
  if (!invoiceNumberTaken(soort, nr, relatieCode, salesNumbers(adm), adm.mutaties)) return;
  throw ebError('factuurnummerExists', soort === 'FactuurOntvangen' ? `Factuurnummer ${nr} van relatie ${relatieCode} is al geboekt.` : `Factuurnummer ${nr} is al in gebruik.`);
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

/** The order of filter and cap is a guess: GET_MUTATIES_FILTER_BEFORE_CAP in inferred.ts. */
export function selectMutaties(adm: Administratie, f: MutatieFilter): MutatieRecord[] {
  const nr = f.MutatieNr ?? 0;
  const van = f.MutatieNrVan ?? 0;
  const tm = f.MutatieNrTm ?? 0;
  const factuur = (f.Factuurnummer ?? '').trim().toLowerCase();
  const datumVan = dateBound(f.DatumVan);
  const datumTm = dateBound(f.DatumTm);
  return capMutaties(
    adm.mutaties,
    (m) =>
        (!nr || m.MutatieNr === nr) &&
        (!van || m.MutatieNr >= van) &&
        (!tm || m.MutatieNr <= tm) &&
        (!factuur || m.Factuurnummer.toLowerCase() === factuur) &&
        (!datumVan || m.Datum >= datumVan) &&
        (!datumTm || m.Datum <= datumTm),
    GET_MUTATIES_MAX_ROWS,
  );
}

// ---------------------------------------------------------------- balances (GetSaldo / GetSaldi)

interface Posting {
  code: string;
  amount: number;
  kostenplaatsId: number;
  datum: string;
}

/** VAT goes to the first ledger of the matching category (inferred.ts), when the chart has one. */
function vatLedger(adm: Administratie, btwCode: string): string | undefined {
  return adm.ledgerOfCategorie(vatLedgerCategorie(btwCode))?.Code;
}

/** Double-entry postings of a mutation, debet positive. */
export function postings(adm: Administratie, m: MutatieRecord): Posting[] {
  const out: Posting[] = [];
  const add = (code: string | undefined, amount: number, kostenplaatsId = 0) => {
    if (code && amount !== 0) out.push({ code, amount: round2(amount), kostenplaatsId, datum: m.Datum });
  };
  const s = lineSign(m.Soort);
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

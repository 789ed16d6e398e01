/**
 * INFERRED — every rule of the e-Boekhouden simulator that the public sources do not settle, in
 * one place, so each can be checked against the real service (a trial administration) and
 * corrected here. Each entry cites the section of shared/contracts/eboekhouden-werkbonapp.md it
 * stems from; the simulator code reads these constants and functions instead of deciding itself.
 * The README lists them ("What the simulators guess (INFERRED)").
 *
 * Confirmed facts (element names, the 500-row cap, 5,000 GetMutaties calls a month, E0023, field
 * lengths from client validations) are not here: they live with the code that applies them.
 */
import type { MutatieRecord, MutatieRegelRecord, MutatieSoort } from './types';

// ---------------------------------------------------------------- omitted elements (A3, ASMX)

/**
 * DateTime.MinValue: what XmlSerializer makes of an omitted required dateTime (codec.ts applies
 * the ASMX defaults generically). What an operation then does with it is guessed per field below.
 */
export const UNSET_DATE = '0001-01-01';

export const isUnsetDate = (d: string | null | undefined): boolean => !d || d === UNSET_DATE;

/**
 * INFERRED (A3, A5): AddMutatie / AddFactuur with no booking date (0001-01-01) are refused in-band
 * ("Datum is verplicht."), as a business error rather than a fault: the request is readable, and no
 * administration has a boekjaar in year 1.
 */
export const BOOKING_DATE_REQUIRED_TEXT = 'Datum is verplicht.';

/**
 * INFERRED (A5 "Date pair must be given together"): a GetMutaties / GetFacturen date bound left
 * out (0001-01-01) means no bound on that side, not "up to year 1".
 */
export function dateBound(d: string | null | undefined): string | undefined {
  return isUnsetDate(d) ? undefined : (d as string);
}

/** INFERRED (A6): AddRelatie without AddDatum (0001-01-01) stamps the relatie with today's date. */
export function relatieAddDatum(given: string | null | undefined, today: string): string {
  return isUnsetDate(given) ? today : (given as string);
}

/**
 * INFERRED (A4): an operation whose cFilter is left out altogether (null in .NET) answers as for an
 * empty filter (everything), not with a NullReferenceException fault.
 */
export const filterOrAll = <T extends object>(f: T | null | undefined): Partial<T> => f ?? {};

/** INFERRED (A5): InExBTW left empty books amounts excluding VAT. */
export const DEFAULT_IN_EX_BTW = 'EX';

/** INFERRED (A5, A6): a mutatie or factuur line without BTWCode carries no VAT. */
export const DEFAULT_BTW_CODE = 'GEEN';

// ---------------------------------------------------------------- AddMutatie (A5, Q4)

/**
 * INFERRED (A5, mirroring REST MUT_010/011): Memoriaal and OpeningsSaldo need no header Rekening;
 * every other soort books its total against one (debiteuren, crediteuren, bank or kas).
 */
export const SOORTEN_WITHOUT_HEADER_REKENING: readonly MutatieSoort[] = ['Memoriaal', 'OpeningsSaldo'];

/**
 * INFERRED (A5/Q4) — the memoriaal sign convention: a Memoriaal (and OpeningsSaldo) line's
 * BedragInclBTW is booked on its TegenrekeningCode, positive = debet, negative = credit. Without a
 * header Rekening the lines must sum to zero; with one, the opposite of the line total goes to
 * that account (balanced by construction). For the other soorten the line account is debited for
 * costs and purchases (+1) and credited for sales and receipts (−1).
 */
export const MEMORIAAL_POSITIVE_IS_DEBET = true;
export const MEMORIAAL_WITHOUT_REKENING_MUST_BALANCE = true;

/** +1 when a positive line amount debits the line's ledger (see MEMORIAAL_POSITIVE_IS_DEBET). */
export function lineSign(soort: MutatieSoort): 1 | -1 {
  switch (soort) {
    case 'OpeningsSaldo':
    case 'Memoriaal':
      return MEMORIAAL_POSITIVE_IS_DEBET ? 1 : -1;
    case 'FactuurOntvangen':
    case 'GeldUitgegeven':
    case 'FactuurbetalingVerstuurd':
      return 1;
    default:
      return -1;
  }
}

/**
 * INFERRED (Q4: does the server recompute VAT or trust the four amounts?): it checks them. Excl +
 * BTW must equal Incl, and BedragInvoer must equal Incl (InExBTW IN) or Excl (EX), within a cent.
 */
export const LINE_AMOUNT_TOLERANCE = 0.011;

export function lineAmountsConsistent(r: Pick<MutatieRegelRecord, 'BedragInvoer' | 'BedragExclBTW' | 'BedragBTW' | 'BedragInclBTW'>, inEx: 'IN' | 'EX'): boolean {
  const invoer = inEx === 'IN' ? r.BedragInclBTW : r.BedragExclBTW;
  return Math.abs(r.BedragExclBTW + r.BedragBTW - r.BedragInclBTW) <= LINE_AMOUNT_TOLERANCE && Math.abs(r.BedragInvoer - invoer) <= LINE_AMOUNT_TOLERANCE;
}

/**
 * INFERRED (A5, Q6, mirroring REST MUT_019/020): a FactuurVerstuurd's Factuurnummer is unique in
 * the administration (case-insensitive, also against AddFactuur invoices: `salesNumbers`); a
 * FactuurOntvangen's only per relatie. Anything else may repeat a number. (A Factuurbetaling must
 * match an open post, REST MUT_115: booking.ts findPaidPost.)
 */
export function invoiceNumberTaken(
  soort: MutatieSoort,
  nr: string,
  relatieCode: string,
  salesNumbers: readonly string[],
  mutaties: readonly Pick<MutatieRecord, 'Soort' | 'Factuurnummer' | 'RelatieCode'>[],
): boolean {
  if (soort === 'FactuurVerstuurd') return salesNumbers.some((n) => n.toLowerCase() === nr.trim().toLowerCase());
  if (soort === 'FactuurOntvangen') {
    return mutaties.some((m) => m.Soort === 'FactuurOntvangen' && m.Factuurnummer === nr && m.RelatieCode.toLowerCase() === relatieCode.toLowerCase());
  }
  return false;
}

/**
 * INFERRED (A8): a write dated on or before the administration's closed-through date
 * (AfgeslotenTm) is refused in-band (code periodClosed below).
 */
export const isInClosedPeriod = (datum: string, afgeslotenTm: string | undefined): boolean => !!afgeslotenTm && datum <= afgeslotenTm;

/**
 * INFERRED: VAT of a line is posted to the first ledger of category VOOR (purchases, AFW), AF6
 * (low rate sales) or AF19 (high rate sales) when the chart has one (A6 categories), else to the
 * line's own ledger. Only balances (GetSaldo/GetSaldi) show this.
 */
export function vatLedgerCategorie(btwCode: string): 'VOOR' | 'AF6' | 'AF19' {
  if (btwCode.includes('_INK') || btwCode === 'AFW') return 'VOOR';
  return btwCode.startsWith('LAAG') ? 'AF6' : 'AF19';
}

// ---------------------------------------------------------------- GetMutaties (A5, A8)

/**
 * INFERRED (A5: "never returns more than the last 500 mutations"): the filter is applied first,
 * then the 500 most recent matches (highest MutatieNr) are returned, newest first — so a lookup by
 * Factuurnummer still finds an old booking. Set to false to cap the last 500 mutations first and
 * filter within them.
 */
export const GET_MUTATIES_FILTER_BEFORE_CAP = true;

/** Applies the cap as GET_MUTATIES_FILTER_BEFORE_CAP says; `maxRows` is the confirmed 500. */
export function capMutaties(all: readonly MutatieRecord[], matches: (m: MutatieRecord) => boolean, maxRows: number): MutatieRecord[] {
  const newestFirst = [...all].sort((a, b) => b.MutatieNr - a.MutatieNr);
  return GET_MUTATIES_FILTER_BEFORE_CAP ? newestFirst.filter(matches).slice(0, maxRows) : newestFirst.slice(0, maxRows).filter(matches);
}

// ---------------------------------------------------------------- sessions, invoices, VAT rates

/** INFERRED (A2, Q2: session lifetime not published): a session expires after 10 idle minutes (→ E0023). */
export const SESSION_IDLE_MS = 10 * 60_000;

/** INFERRED (A6: empty Factuurnummer → auto-number): year + 3-digit sequence, like "2018010" in seed 003. */
export const autoFactuurnummer = (datum: string, seq: number): string => `${datum.slice(0, 4)}${String(seq).padStart(3, '0')}`;

/**
 * INFERRED (A7): the legacy codes HOOG_* / LAAG_* follow the Dutch rate history: high 19% → 21% on
 * 2012-10-01, low 6% → 9% on 2019-01-01 (the contract confirms only the low cut-off for LAAG_*).
 */
export const HIGH_RATE_21_FROM = '2012-10-01';
export const LOW_RATE_9_FROM = '2019-01-01';

/**
 * INFERRED (A5): on success ErrorMsg is present with empty LastErrorCode/LastErrorDescription
 * (clients accept it absent too).
 */
export const SUCCESS_ERROR_MSG = { LastErrorCode: '', LastErrorDescription: '' } as const;

// ---------------------------------------------------------------- error codes and texts (A3, A8, Q3)

/**
 * INFERRED (A3/A8, open question Q3): only E0023 (session invalid/expired) is seen publicly; every
 * other code and Dutch text here is our choice. The client keeps its own list
 * (src/systems/eboekhouden/client/error-codes.ts) and also recognises errors by keywords in the
 * description, so when a real list arrives each side is corrected against it on its own; the
 * connector tests run the two against each other.
 */
export const EB_CODES = {
  loginFailed: 'E0001',
  securityCode2Mismatch: 'E0002',
  administratieUnknown: 'E0003',
  sessionExpired: 'E0023',
  ledgerUnknown: 'E0030',
  periodClosed: 'E0031',
  unbalanced: 'E0032',
  relatieUnknown: 'E0033',
  factuurnummerExists: 'E0034',
  amountsInconsistent: 'E0035',
  btwCodeInvalid: 'E0036',
  mutatieInvalid: 'E0037',
  relatieCodeExists: 'E0040',
  relatieNotFound: 'E0041',
  relatieInvalid: 'E0042',
  grootboekCodeExists: 'E0045',
  grootboekInvalid: 'E0046',
  factuursjabloonUnknown: 'E0050',
  factuurInvalid: 'E0051',
  /** GetMutaties: monthly call budget (contract A8: 5,000 calls per month) used up. */
  callLimitReached: 'E0060',
} as const;
export type EbCodeName = keyof typeof EB_CODES;

/** dd-mm-jjjj, the way e-Boekhouden shows dates to users. */
function dutchDate(isoDate: string): string {
  const [y, m, d] = isoDate.slice(0, 10).split('-');
  return `${d}-${m}-${y}`;
}

/** INFERRED (A8/Q3): a closed period names its closed-through date as "afgesloten t/m dd-mm-jjjj". */
export function periodClosedText(datum: string, afgeslotenTm: string): string {
  return `De datum ${dutchDate(datum)} valt in een afgesloten periode (boekhouding afgesloten t/m ${dutchDate(afgeslotenTm)}).`;
}

/** INFERRED (Q3): every missing grootboekrekening, comma-separated, between fixed words. */
export function ledgerUnknownText(codes: string[]): string {
  return codes.length === 1
    ? `Grootboekrekening ${codes[0]} bestaat niet in deze administratie.`
    : `Grootboekrekeningen ${codes.join(', ')} bestaan niet in deze administratie.`;
}

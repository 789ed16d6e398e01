/**
 * e-Boekhouden SOAP in-band error codes (`ErrorMsg/LastErrorCode`) and the texts that carry data.
 *
 * INFERRED (contract A3/Q3): only E0023 (session invalid/expired) is seen publicly. Every other code
 * and Dutch text below is our own choice. The simulator keeps its own copy
 * (src/systems/eboekhouden/simulator/inferred.ts): each side reads the contract, and a real list
 * from a trial administration corrects each on its own.
 * The connector also recognises errors by keywords in the description (see errors.ts), so an
 * unknown real code with a recognisable text still maps to the right KoppelError type.
 */
export const EB_CODES = {
  /** OpenSession: username, security code 1 or 2 wrong. */
  loginFailed: 'E0001',
  /** Any session call: SecurityCode2 does not belong to the session's user. */
  securityCode2Mismatch: 'E0002',
  /** OpenSessionSub: administration GUID unknown or not linked to this user. */
  administratieUnknown: 'E0003',
  /** Session unknown, closed or idle too long (seen publicly: clients reopen a session on it). */
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
  /** GetMutaties: monthly call budget (contract A5: 5,000 calls per month) used up. */
  callLimitReached: 'E0060',
} as const;
export type EbCodeName = keyof typeof EB_CODES;

/** dd-mm-jjjj, the way e-Boekhouden shows dates to users. */
export function formatDutchDate(isoDate: string): string {
  const [y, m, d] = isoDate.slice(0, 10).split('-');
  return `${d}-${m}-${y}`;
}

/** The closed-period text names the closed-through date as "afgesloten t/m dd-mm-jjjj". */
export function periodClosedText(datum: string, afgeslotenTm: string): string {
  return `De datum ${formatDutchDate(datum)} valt in een afgesloten periode (boekhouding afgesloten t/m ${formatDutchDate(afgeslotenTm)}).`;
}

/** Reads the closed-through date back out of a closed-period text, as YYYY-MM-DD. */
export function parseClosedThrough(text: string): string | undefined {
  const m = /t\/m\s+(\d{1,2})-(\d{1,2})-(\d{4})/i.exec(text);
  if (!m) return undefined;
  return `${m[3]}-${m[2].padStart(2, '0')}-${m[1].padStart(2, '0')}`;
}

/** The unknown-ledger text lists every missing code, comma-separated, between the fixed words. */
export function ledgerUnknownText(codes: string[]): string {
  return codes.length === 1
    ? `Grootboekrekening ${codes[0]} bestaat niet in deze administratie.`
    : `Grootboekrekeningen ${codes.join(', ')} bestaan niet in deze administratie.`;
}

export function parseLedgerCodes(text: string): string[] {
  const m = /Grootboekrekening(?:en)?\s+(.+?)\s+besta(?:at|an) niet/i.exec(text);
  return m ? m[1].split(/\s*,\s*/).filter(Boolean) : [];
}

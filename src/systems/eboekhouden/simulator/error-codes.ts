/**
 * The in-band error codes (`ErrorMsg/LastErrorCode`) and texts the simulator answers with.
 *
 * INFERRED (contract A3/A8, open question Q3): only E0023 (session invalid/expired) is seen publicly;
 * every other code and Dutch text here is our choice. The client keeps its own list
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

/** A closed period names its closed-through date as "afgesloten t/m dd-mm-jjjj". */
export function periodClosedText(datum: string, afgeslotenTm: string): string {
  return `De datum ${dutchDate(datum)} valt in een afgesloten periode (boekhouding afgesloten t/m ${dutchDate(afgeslotenTm)}).`;
}

/** Every missing grootboekrekening, comma-separated, between fixed words. */
export function ledgerUnknownText(codes: string[]): string {
  return codes.length === 1
    ? `Grootboekrekening ${codes[0]} bestaat niet in deze administratie.`
    : `Grootboekrekeningen ${codes.join(', ')} bestaan niet in deze administratie.`;
}

/**
 * BTW (VAT) codes of e-Boekhouden (contract A7) and the rate each implies on a date.
 * The client fills in line amounts with it; the simulator keeps its own reading of the contract
 * (src/systems/eboekhouden/simulator/btw.ts).
 */
export const BTW_CODES = [
  'HOOG_VERK_21', 'LAAG_VERK_9', 'HOOG_VERK', 'LAAG_VERK', 'VERL_VERK', 'VERL_VERK_L9', 'AFW_VERK',
  'BU_EU_VERK', 'BI_EU_VERK', 'BI_EU_VERK_D', 'AFST_VERK',
  'HOOG_INK_21', 'LAAG_INK_9', 'HOOG_INK', 'LAAG_INK', 'VERL_INK', 'VERL_INK_L9', 'VERL_INK_L', 'AFW',
  'BU_EU_INK', 'BI_EU_INK', 'GEEN',
] as const;
export type BtwCode = (typeof BTW_CODES)[number];

export function isBtwCode(code: string): code is BtwCode {
  return (BTW_CODES as readonly string[]).includes(code);
}

/**
 * Percentage charged on the invoice for `code` on `datum` (YYYY-MM-DD). Reverse-charge, export and
 * "AFW" (divergent, amount given by the caller) codes charge 0 here. INFERRED: the legacy codes
 * follow the Dutch rate history (high 19% → 21% on 2012-10-01, low 6% → 9% on 2019-01-01).
 */
export function btwPercentage(code: string, datum: string): number {
  switch (code) {
    case 'HOOG_VERK_21':
    case 'HOOG_INK_21':
      return 21;
    case 'LAAG_VERK_9':
    case 'LAAG_INK_9':
      return 9;
    case 'HOOG_VERK':
    case 'HOOG_INK':
      return datum >= '2012-10-01' ? 21 : 19;
    case 'LAAG_VERK':
    case 'LAAG_INK':
      return datum >= '2019-01-01' ? 9 : 6;
    default:
      return 0;
  }
}

/** Round half away from zero to cents, avoiding binary drift (1.005 → 1.01). */
export function round2(n: number): number {
  return Math.sign(n) * Math.round(Math.abs(n) * 100 + 1e-9) / 100;
}

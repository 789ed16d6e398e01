/**
 * The simulator's own reading of e-Boekhouden's BTW codes (contract A7) and the rate each implies on
 * a date, used to total invoices. Deliberately not shared with the client: each side reads the
 * contract, so a misreading on one side shows up as a mismatch instead of passing on both.
 */
import { HIGH_RATE_21_FROM, LOW_RATE_9_FROM } from './inferred';

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
 * Percentage on `datum` (YYYY-MM-DD). Reverse-charge, export and "AFW" (divergent, amount given by
 * the caller) codes charge 0 here. The legacy codes' cut-over dates are guesses (inferred.ts).
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
      return datum >= HIGH_RATE_21_FROM ? 21 : 19;
    case 'LAAG_VERK':
    case 'LAAG_INK':
      return datum >= LOW_RATE_9_FROM ? 9 : 6;
    default:
      return 0;
  }
}

/** Round half away from zero to cents, avoiding binary drift (1.005 → 1.01). */
export function round2(n: number): number {
  return Math.sign(n) * Math.round(Math.abs(n) * 100 + 1e-9) / 100;
}

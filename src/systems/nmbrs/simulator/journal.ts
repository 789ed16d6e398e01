/**
 * Journal arithmetic for the simulator: build a realistic payroll journal from its components,
 * check balance, and "recalculate" (journaalposten herberekenen) while keeping it balanced.
 * All amounts are integer cents; nothing here knows about XML.
 */
import { journalDate } from './inferred';
import type { JournalLine, JournalTransaction, PeriodType } from './types';

/** The grootboek codes the demo payroll uses (they exist in e-Boekhouden's demo chart). */
export const GL = {
  lonen: { code: '4000', name: 'Lonen en salarissen' },
  reiskosten: { code: '4105', name: 'Reiskostenvergoeding' },
  socialeLasten: { code: '4100', name: 'Sociale lasten' },
  pensioenlasten: { code: '4110', name: 'Pensioenlasten' },
  loonheffing: { code: '1640', name: 'Af te dragen loonheffing' },
  pensioenpremies: { code: '1650', name: 'Af te dragen pensioenpremies' },
  nettoLonen: { code: '1660', name: 'Netto lonen' },
} as const;

export interface PayrollComponents {
  /** Gross wages (bruto loon), cents. */
  gross: number;
  /** Wage tax withheld from employees (loonheffing), cents. */
  wageTax: number;
  /** Employer social charges (werkgeverslasten), cents; also paid via the loonaangifte. */
  employerSocial: number;
  pensionEmployer: number;
  pensionEmployee: number;
  /** Untaxed travel allowance paid out net (onbelaste reiskostenvergoeding), cents. */
  travelAllowance?: number;
}

/** Amount × rate in basis points, rounded half up to whole cents. */
export function pct(cents: number, basisPoints: number): number {
  return Math.round((cents * basisPoints) / 10_000);
}

/** A transaction's header date: a guess (journalDate in inferred.ts). */
export const periodEndDate = (year: number, period: number, periodType: PeriodType = 'M'): string => journalDate(year, period, periodType);

/**
 * One transaction per period, lines per GL account. Balanced by construction:
 * debit  = gross + social + pensionER + travel
 * credit = (wageTax + social) + (pensionER + pensionEE) + (gross − wageTax − pensionEE + travel)
 */
export function payrollTransaction(
  year: number,
  period: number,
  c: PayrollComponents,
  periodType: PeriodType = 'M',
): JournalTransaction {
  const travel = c.travelAllowance ?? 0;
  const line = (gl: { code: string; name: string }, cents: number, debitCredit: 'debit' | 'credit'): JournalLine => ({
    dim1: gl.code,
    cents,
    debitCredit,
    description: gl.name,
  });
  const lines = [
    line(GL.lonen, c.gross, 'debit'),
    line(GL.reiskosten, travel, 'debit'),
    line(GL.socialeLasten, c.employerSocial, 'debit'),
    line(GL.pensioenlasten, c.pensionEmployer, 'debit'),
    line(GL.loonheffing, c.wageTax + c.employerSocial, 'credit'),
    line(GL.pensioenpremies, c.pensionEmployer + c.pensionEmployee, 'credit'),
    line(GL.nettoLonen, c.gross - c.wageTax - c.pensionEmployee + travel, 'credit'),
  ].filter((l) => l.cents !== 0);
  return { date: periodEndDate(year, period, periodType), period: `${period}/${year}`, lines };
}

/** Standard rates for a regular monthly run of a small Dutch employer (plausible, not official). */
export function standardComponents(gross: number, travelAllowance = 0): PayrollComponents {
  return {
    gross,
    wageTax: pct(gross, 2430),
    employerSocial: pct(gross, 1860),
    pensionEmployer: pct(gross, 920),
    pensionEmployee: pct(gross, 540),
    travelAllowance,
  };
}

export function imbalance(tx: JournalTransaction): number {
  return tx.lines.reduce((sum, l) => sum + (l.debitCredit === 'debit' ? l.cents : -l.cents), 0);
}

export function isBalanced(transactions: JournalTransaction[]): boolean {
  return transactions.every((tx) => imbalance(tx) === 0);
}

/**
 * Scale every line by `factor`, then put the rounding difference on the largest line of the
 * lighter side, so each transaction still balances to the cent.
 */
export function recalculate(transactions: JournalTransaction[], factor: number): JournalTransaction[] {
  return transactions.map((tx) => {
    const lines = tx.lines.map((l) => ({ ...l, cents: Math.round(l.cents * factor) }));
    const diff = imbalance({ ...tx, lines });
    if (diff !== 0) {
      const side = diff > 0 ? 'credit' : 'debit';
      const target = lines
        .filter((l) => l.debitCredit === side)
        .reduce((a, b) => (b.cents > a.cents ? b : a));
      target.cents += Math.abs(diff);
    }
    return { ...tx, lines };
  });
}

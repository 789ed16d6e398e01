/**
 * Closed periods in e-Boekhouden, for the Nmbrs → e-Boekhouden koppeling. Pure.
 *
 * INFERRED choices, kept here:
 * - A ClosedPeriod (the `periodClosed` signal) names an e-Boekhouden administration by the label in
 *   the koppeling's settings (compared without case) and a period that is the calendar month of the
 *   booking date: e-Boekhouden's periods are months, whatever Nmbrs's period type.
 * - `closedThrough` is e-Boekhouden's own "afgesloten t/m" date, learned from a PeriodClosed answer
 *   on a write; everything up to and including it is closed.
 * - The first open period of a date is the date itself when open, else the first day after the
 *   closed stretch (the day after closedThrough, or the first of the next month that is open).
 */
export interface ClosedInfo {
  periods: Array<{ year: number; period: number }>;
  /** YYYY-MM-DD, inclusive. */
  closedThrough?: string;
}

const pad2 = (n: number) => String(n).padStart(2, '0');

export function closedInfoFor(
  administrationLabel: string,
  closedPeriods: Array<{ administration: string; year: number; period: number }>,
  closedThrough?: string,
): ClosedInfo {
  const label = administrationLabel.trim().toLowerCase();
  return {
    periods: closedPeriods.filter((p) => p.administration.trim().toLowerCase() === label).map((p) => ({ year: p.year, period: p.period })),
    ...(closedThrough ? { closedThrough } : {}),
  };
}

export function monthOf(date: string): { year: number; period: number } {
  return { year: Number(date.slice(0, 4)), period: Number(date.slice(5, 7)) };
}

export function isClosed(date: string, info: ClosedInfo): boolean {
  if (info.closedThrough && date <= info.closedThrough) return true;
  const m = monthOf(date);
  return info.periods.some((p) => p.year === m.year && p.period === m.period);
}

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

function firstOfNextMonth(date: string): string {
  const { year, period } = monthOf(date);
  return period === 12 ? `${year + 1}-01-01` : `${year}-${pad2(period + 1)}-01`;
}

/** The date itself when its period is open, else the first day of the first open period after it. */
export function firstOpenDate(date: string, info: ClosedInfo): string {
  let d = date;
  // Bounded: closed periods are finite, so a few hundred steps always reach an open month.
  for (let i = 0; i < 2_400; i++) {
    if (info.closedThrough && d <= info.closedThrough) {
      d = addDays(info.closedThrough, 1);
      continue;
    }
    if (isClosed(d, info)) {
      d = firstOfNextMonth(d);
      continue;
    }
    return d;
  }
  throw new Error(`no open period after ${date}`);
}

/** The later of two optional YYYY-MM-DD dates. */
export function laterDate(a?: string, b?: string): string | undefined {
  if (!a) return b;
  if (!b) return a;
  return a > b ? a : b;
}

/** "2026-04" for the log. */
export function periodOfDate(date: string): string {
  return date.slice(0, 7);
}

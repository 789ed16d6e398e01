/** Closed periods and the first open period, for the Nmbrs → e-Boekhouden koppeling. */
import { closedInfoFor, firstOpenDate, isClosed, laterDate } from '../../../src/koppelingen/nmbrs-eboekhouden/domain/journal-periods';

describe('closed periods', () => {
  const closedPeriods = [
    { administration: 'e-Boekhouden', year: 2026, period: 3 },
    { administration: 'E-BOEKHOUDEN ', year: 2026, period: 4 },
    { administration: 'Andere BV', year: 2026, period: 5 },
  ];

  test('only periods of this koppeling’s administration count (label without case)', () => {
    const info = closedInfoFor('e-boekhouden', closedPeriods);
    expect(info.periods).toEqual([
      { year: 2026, period: 3 },
      { year: 2026, period: 4 },
    ]);
    expect(isClosed('2026-03-31', info)).toBe(true);
    expect(isClosed('2026-04-01', info)).toBe(true);
    expect(isClosed('2026-05-31', info)).toBe(false);
    expect(isClosed('2025-03-31', info)).toBe(false);
  });

  test('e-Boekhouden’s own "afgesloten t/m" closes everything up to and including that date', () => {
    const info = closedInfoFor('e-Boekhouden', [], '2026-06-30');
    expect(isClosed('2026-06-30', info)).toBe(true);
    expect(isClosed('2026-01-31', info)).toBe(true);
    expect(isClosed('2026-07-01', info)).toBe(false);
  });
});

describe('firstOpenDate', () => {
  test('an open date stays as it is', () => {
    expect(firstOpenDate('2026-05-31', closedInfoFor('EB', [{ administration: 'EB', year: 2026, period: 4 }]))).toBe('2026-05-31');
  });

  test('a closed month moves to the first day of the next open month, skipping closed ones', () => {
    const info = closedInfoFor('EB', [
      { administration: 'EB', year: 2026, period: 3 },
      { administration: 'EB', year: 2026, period: 4 },
    ]);
    expect(firstOpenDate('2026-03-31', info)).toBe('2026-05-01');
    expect(firstOpenDate('2026-04-15', info)).toBe('2026-05-01');
  });

  test('the closing date moves it to the day after, then past closed months, across a year end', () => {
    expect(firstOpenDate('2026-03-31', closedInfoFor('EB', [], '2026-06-30'))).toBe('2026-07-01');
    expect(firstOpenDate('2026-03-31', closedInfoFor('EB', [], '2026-06-15'))).toBe('2026-06-16');
    const yearEnd = closedInfoFor('EB', [{ administration: 'EB', year: 2027, period: 1 }], '2026-12-31');
    expect(firstOpenDate('2026-12-31', yearEnd)).toBe('2027-02-01');
  });

  test('laterDate keeps the later closing date', () => {
    expect(laterDate(undefined, '2026-01-31')).toBe('2026-01-31');
    expect(laterDate('2026-06-30', '2026-01-31')).toBe('2026-06-30');
    expect(laterDate('2026-06-30', undefined)).toBe('2026-06-30');
  });
});

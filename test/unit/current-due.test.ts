/**
 * The status mirror's nextDueAt is written with each cycle, not with each idle tick: once it has
 * passed, the API shows the next due time from the cadence and the koppeling's spread.
 */
import { withCurrentDue } from '../../src/api/routes/load';
import { nextDueSpread, spreadOffsetMs, type Cadence } from '../../src/domain/cadence';
import type { KoppelingDoc } from '../../src/store/types';

const QUARTER: Cadence = { kind: 'interval', everyMinutes: 15 };
const NOW = Date.parse('2026-05-04T08:07:30Z');

function doc(state: KoppelingDoc['status']['state'], nextDueAt: string, cadence: unknown = QUARTER): KoppelingDoc {
  return { _id: 'k_due', cadence, status: { state, nextDueAt: new Date(nextDueAt), updatedAt: new Date(NOW) } } as unknown as KoppelingDoc;
}

test('a due time in the future is shown as written', () => {
  const k = doc('ACTIVE', '2026-05-04T08:20:00Z');
  expect(withCurrentDue(k, NOW)).toBe(k.status);
});

test('a passed due time of an ACTIVE koppeling follows from its cadence and spread', () => {
  const shown = withCurrentDue(doc('ACTIVE', '2026-05-04T07:04:00Z'), NOW)!;
  expect(shown.nextDueAt!.getTime()).toBe(nextDueSpread(QUARTER, new Date(NOW), spreadOffsetMs(QUARTER, 'k_due')).getTime());
  expect(shown.nextDueAt!.getTime()).toBeGreaterThan(NOW);
  expect(shown.nextDueAt!.getTime() - NOW).toBeLessThanOrEqual(15 * 60_000);
});

test('paused, blocked and running koppelingen, and a bad cadence, keep what was written', () => {
  for (const state of ['PAUSED', 'BLOCKED_MAPPING', 'RUNNING', 'WAITING_REAUTH'] as const) {
    const k = doc(state, '2026-05-04T07:04:00Z');
    expect(withCurrentDue(k, NOW)).toBe(k.status);
  }
  const bad = doc('ACTIVE', '2026-05-04T07:04:00Z', { kind: 'interval', everyMinutes: -1 });
  expect(withCurrentDue(bad, NOW)).toBe(bad.status);
});

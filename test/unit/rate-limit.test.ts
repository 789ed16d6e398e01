/** Outgoing call pacing: the token bucket (pure, clock passed in) and the budget → interval rule. */
import { MockActivityEnvironment } from '@temporalio/testing';
import { isKoppelError } from '../../src/domain/errors';
import { CALL_PACE_SHARE, callIntervalMs, TokenBucket } from '../../src/domain/rate-limit';
import { awaitCallSlot, resetCallBudgets } from '../../src/platform/call-budget';
import { SYSTEMS } from '../../src/systems';
import { seededRandom } from '../../src/domain/random';

test('a strict bucket spaces calls one interval apart, in the order they asked', () => {
  const b = new TokenBucket(100);
  expect(b.reserve(1_000)).toEqual({ waitMs: 0, granted: true });
  expect(b.reserve(1_000)).toEqual({ waitMs: 100, granted: true });
  expect(b.reserve(1_010)).toEqual({ waitMs: 190, granted: true });
  // After a quiet spell the next call goes at once, and no credit is saved up (burst 1).
  expect(b.reserve(5_000)).toEqual({ waitMs: 0, granted: true });
  expect(b.reserve(5_000).waitMs).toBe(100);
});

test('a burst lets that many calls go back to back, then paces', () => {
  const b = new TokenBucket(100, 3);
  expect([0, 0, 0, 0, 0].map(() => b.reserve(0).waitMs)).toEqual([0, 0, 0, 100, 200]);
});

test('a bucket made with a first moment books nothing before it', () => {
  const b = new TokenBucket(100, 1, 2_000);
  expect(b.reserve(1_500)).toEqual({ waitMs: 500, granted: true });
  expect(b.reserve(1_500).waitMs).toBe(600);
  expect(new TokenBucket(100, 2, 2_000).reserve(1_500).waitMs).toBe(500);
});

test('a slot further away than the caller may wait is not booked', () => {
  const b = new TokenBucket(100);
  b.reserve(0);
  b.reserve(0);
  expect(b.peek(0)).toBe(200);
  expect(b.reserve(0, 150)).toEqual({ waitMs: 200, granted: false });
  expect(b.reserve(0, 200)).toEqual({ waitMs: 200, granted: true });
  expect(b.peek(50)).toBe(250);
});

test('the interval is the stricter of per second and per minute, at the pace share', () => {
  expect(callIntervalMs({ perSecond: 10 })).toBeCloseTo(1000 / (10 * CALL_PACE_SHARE));
  expect(callIntervalMs({ perSecond: 10, perMinute: 120 }, 1)).toBe(500);
  expect(callIntervalMs({})).toBeUndefined();
  expect(() => new TokenBucket(0)).toThrow();
  expect(() => new TokenBucket(10, 0)).toThrow();
});

test('paced calls never put more than the budget in one wall-clock second, even when each leaves late', () => {
  // Callers ask at random moments; each call leaves when its slot comes, plus up to 90 % of an
  // interval of lateness (timers, event loop). Count per receiver second as the simulators do.
  for (const budget of [10, 50, 150]) {
    const interval = callIntervalMs({ perSecond: budget })!;
    const b = new TokenBucket(interval);
    const random = seededRandom(budget);
    const perSecond = new Map<number, number>();
    let asked = 0;
    for (let i = 0; i < 5_000; i++) {
      asked += random() * interval * 1.5;
      const { waitMs } = b.reserve(asked);
      const sent = asked + waitMs + random() * interval * 0.9;
      const s = Math.floor(sent / 1000);
      perSecond.set(s, (perSecond.get(s) ?? 0) + 1);
    }
    expect(Math.max(...perSecond.values())).toBeLessThanOrEqual(budget);
  }
});

test('every system declares a budget the call limiter can pace at', () => {
  for (const s of SYSTEMS) expect(callIntervalMs(s.rateBudget)).toBeGreaterThan(0);
});

describe('awaitCallSlot inside an activity', () => {
  const system = { id: 'werkbonapp', label: 'WerkbonApp', rateBudget: { perSecond: 1 } } as const;
  beforeEach(() => resetCallBudgets());

  test('a slot past the attempt deadline fails as RateLimited with the wait as retry delay', async () => {
    // 10 s timeout minus the 10 s kept for the call itself: no time to wait at all, and an
    // account's first call in a process waits a second.
    const env = new MockActivityEnvironment({ startToCloseTimeoutMs: 10_000, currentAttemptScheduledTimestampMs: Date.now() });
    const err = await env.run(() => awaitCallSlot(system, 'token-c')).catch((e: unknown) => e);
    expect(isKoppelError(err) && err.type).toBe('RateLimited');
    expect(isKoppelError(err) && err.retryAfterMs).toBeGreaterThan(0);
    expect(isKoppelError(err) && err.oorzaak).toMatch(/limiet van WerkbonApp/);
  });
});

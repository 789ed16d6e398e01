/**
 * Outgoing call pacing per external account: a token bucket kept as one "theoretical arrival
 * time" (GCRA), so a reservation is O(1) and waiters are served in the order they asked. Pure (the
 * clock is passed in), so it is unit-tested without timers; src/platform/call-budget.ts does the
 * waiting.
 */

/**
 * Share of a published budget we pace at. A call leaves our process on time but is counted by the
 * receiver on arrival; timer lateness on our side and event-loop lag on theirs can shift a call
 * into the next wall-clock second. At 90 % a 1,000-kill soak on a loaded machine still counted
 * 11 in one second against 10 (a late timer's call and the next one on time): 80 % leaves room
 * for two such shifts.
 */
export const CALL_PACE_SHARE = 0.8;

/** Milliseconds between calls for a budget (the stricter of per second and per minute), or undefined without one. */
export function callIntervalMs(budget: { perSecond?: number; perMinute?: number }, share = CALL_PACE_SHARE): number | undefined {
  const rates = [budget.perSecond, budget.perMinute === undefined ? undefined : budget.perMinute / 60].filter((r): r is number => r !== undefined && r > 0);
  if (!rates.length) return undefined;
  return 1000 / (Math.min(...rates) * share);
}

export interface Reservation {
  /** Milliseconds from `now` until the call may go out (0: at once). */
  waitMs: number;
  /** False when that is later than the caller's limit: nothing was reserved. */
  granted: boolean;
}

export class TokenBucket {
  /** When the next call would be due if every call so far went out at an even pace. */
  private tat = Number.NEGATIVE_INFINITY;
  private readonly toleranceMs: number;

  /**
   * @param intervalMs least time between calls on average (1000 / rate)
   * @param burst calls that may go out back to back after a quiet spell (1: strictly paced)
   * @param firstAt no call before this moment (a new process: its predecessor may have spent this second)
   */
  constructor(
    readonly intervalMs: number,
    readonly burst = 1,
    firstAt?: number,
  ) {
    if (!(intervalMs > 0) || !Number.isInteger(burst) || burst < 1) throw new Error(`invalid token bucket: interval ${intervalMs} ms, burst ${burst}`);
    this.toleranceMs = (burst - 1) * intervalMs;
    if (firstAt !== undefined) this.tat = firstAt + this.toleranceMs;
  }

  /** Books the earliest slot for one call, unless it is more than `maxWaitMs` away. */
  reserve(now: number, maxWaitMs = Number.POSITIVE_INFINITY): Reservation {
    const waitMs = Math.max(0, this.tat - this.toleranceMs - now);
    if (waitMs > maxWaitMs) return { waitMs, granted: false };
    this.tat = Math.max(this.tat, now) + this.intervalMs;
    return { waitMs, granted: true };
  }

  /** Milliseconds a call asked for now would wait, without booking it. */
  peek(now: number): number {
    return Math.max(0, this.tat - this.toleranceMs - now);
  }
}

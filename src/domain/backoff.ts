/**
 * Per-credential back-off: when an external system answers 429 / "try again in N seconds", every
 * call with the same credential waits until then, not just the one that was refused. Pure (the
 * clock is passed in), so the bookkeeping is unit-tested without a server.
 */
export class BackoffBook {
  private readonly until = new Map<string, number>();

  /** The system said: nothing more with this credential before `untilMs`. Keeps the later of two. */
  note(key: string, untilMs: number): void {
    if (untilMs > (this.until.get(key) ?? 0)) this.until.set(key, untilMs);
  }

  /** Milliseconds still to wait for this credential (0: go ahead). Forgets what has passed. */
  remaining(key: string, nowMs: number): number {
    const until = this.until.get(key);
    if (until === undefined) return 0;
    if (until <= nowMs) {
      this.until.delete(key);
      return 0;
    }
    return until - nowMs;
  }

  get size(): number {
    return this.until.size;
  }
}

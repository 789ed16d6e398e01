/**
 * Every request to an external system waits here for its slot first: one token bucket per system
 * and external account (the budgets are per account / API key), paced at the system's declared
 * `rateBudget` (src/systems/<system>/system.ts). Per worker process: with N worker processes on one
 * account the account can see up to N times the budget (README, "Rate limits"); Temporal's task-queue
 * limit still bounds the activities over all processes.
 *
 * The wait keeps the activity alive: it heartbeats every second (a waiting call is not a dead
 * worker), stops when Temporal cancels the attempt, and never waits past the attempt's
 * start-to-close deadline: a slot further away than that fails as RateLimited with the wait as
 * retry delay, and Temporal retries later.
 */
import { createHash } from 'node:crypto';
import { Context } from '@temporalio/activity';
import { KoppelError } from '../domain/errors';
import type { SystemId } from '../systems';
import { callIntervalMs, TokenBucket } from '../domain/rate-limit';

export interface BudgetedSystem {
  readonly id: SystemId;
  readonly label: string;
  readonly rateBudget: { perSecond?: number; perMinute?: number };
}

/** Longest a call waits for its slot inside one attempt. */
export const MAX_CALL_WAIT_MS = 30_000;
/** Kept free before an attempt's start-to-close deadline for the call itself. */
const DEADLINE_MARGIN_MS = 10_000;
const BEAT_MS = 1_000;
/** The first call of an account in this process waits this long (budgets are per second). */
const FRESH_BUCKET_WAIT_MS = 1_000;

const buckets = new Map<string, TokenBucket>();

/** The account as a short hash: tokens never become map keys that a dump could show. */
function accountKey(system: BudgetedSystem, account: string): string {
  return `${system.id}|${createHash('sha256').update(account).digest('hex').slice(0, 16)}`;
}

function bucketFor(system: BudgetedSystem, account: string): TokenBucket | undefined {
  const key = accountKey(system, account);
  let bucket = buckets.get(key);
  if (!bucket) {
    const interval = callIntervalMs(system.rateBudget);
    if (interval === undefined) return undefined;
    // A worker that just (re)started does not know what a crashed predecessor sent this second.
    bucket = new TokenBucket(interval, 1, Date.now() + FRESH_BUCKET_WAIT_MS);
    buckets.set(key, bucket);
  }
  return bucket;
}

function activityContext(): Context | undefined {
  try {
    return Context.current();
  } catch {
    return undefined; // the admin API's previews and tests call the clients outside an activity
  }
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Resolves when this account may send its next request to `system`. */
export async function awaitCallSlot(system: BudgetedSystem, account: string): Promise<void> {
  const bucket = bucketFor(system, account);
  if (!bucket) return;
  const ctx = activityContext();
  const now = Date.now();
  let maxWait = MAX_CALL_WAIT_MS;
  if (ctx) {
    const { currentAttemptScheduledTimestampMs: scheduled, startToCloseTimeoutMs: timeout } = ctx.info;
    if (scheduled && timeout) maxWait = Math.min(maxWait, scheduled + timeout - DEADLINE_MARGIN_MS - now);
  }
  const { waitMs, granted } = bucket.reserve(now, Math.max(0, maxWait));
  if (!granted) throw callBudgetFull(system, Math.ceil(waitMs));
  const until = now + waitMs;
  for (let left = waitMs; left > 0; left = until - Date.now()) {
    if (ctx?.cancellationSignal.aborted) throw ctx.cancellationSignal.reason ?? new Error('activity cancelled');
    await sleep(Math.min(left, BEAT_MS));
    if (ctx && until - Date.now() > 0) ctx.heartbeat();
  }
}

function callBudgetFull(system: BudgetedSystem, waitMs: number): KoppelError {
  const perSecond = system.rateBudget.perSecond ?? (system.rateBudget.perMinute ?? 0) / 60;
  return new KoppelError({
    type: 'RateLimited',
    system: system.id,
    message: `own call budget for ${system.id} full: next slot in ${waitMs} ms`,
    oorzaak: `Koppelwerk houdt zich aan de limiet van ${system.label} (${perSecond} verzoeken per seconde) en er staan nu meer verzoeken klaar dan binnen deze poging passen.`,
    oplossing: `Geen actie nodig: de koppeling wacht ${Math.ceil(waitMs / 1000)} seconden en probeert het opnieuw.`,
    retryAfterMs: waitMs,
  });
}

/** Tests: forget every bucket. */
export function resetCallBudgets(): void {
  buckets.clear();
}

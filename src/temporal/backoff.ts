/**
 * Activity interceptor for per-credential back-off. A RateLimited error with a retry-after marks the
 * credential (system + koppeling, the owner of the credentials) as waiting; later activities of that
 * system for that koppeling fail fast with the remaining wait as their next retry delay instead of
 * calling the system again, so one 429 is not answered with a burst of more requests. Per worker
 * process; each process learns from its own 429s, and Temporal's task-queue limit keeps the total
 * under the system's budget.
 */
import { Context } from '@temporalio/activity';
import type { ActivityExecuteInput, ActivityInboundCallsInterceptor, Next } from '@temporalio/worker';
import { BackoffBook } from '../domain/backoff';
import { isKoppelError, rateLimitedError, type ExternalSystem } from '../domain/errors';
import { TASK_QUEUES } from './task-queues';

const SYSTEM_BY_QUEUE = new Map<string, ExternalSystem>(
  Object.entries(TASK_QUEUES)
    .filter(([name]) => name !== 'workflows')
    .map(([name, queue]) => [queue, name as ExternalSystem]),
);

/** `koppeling/<tenant>/<koppeling>[/cycle-…]` → `<tenant>/<koppeling>`: whose credentials these are. */
export function credentialOwner(workflowId: string): string | undefined {
  const m = /^koppeling\/([^/]+)\/([^/]+)/.exec(workflowId);
  return m ? `${m[1]}/${m[2]}` : undefined;
}

export class CredentialBackoffInterceptor implements ActivityInboundCallsInterceptor {
  constructor(
    private readonly book: BackoffBook,
    private readonly now: () => number = Date.now,
  ) {}

  async execute(input: ActivityExecuteInput, next: Next<ActivityInboundCallsInterceptor, 'execute'>): Promise<unknown> {
    const info = Context.current().info;
    const system = SYSTEM_BY_QUEUE.get(info.taskQueue);
    const owner = info.workflowExecution ? credentialOwner(info.workflowExecution.workflowId) : undefined;
    if (!system || !owner) return next(input);
    const key = `${system}|${owner}`;
    const wait = this.book.remaining(key, this.now());
    if (wait > 0) throw rateLimitedError(system, wait, `waiting ${wait} ms after an earlier rate limit on this credential`);
    try {
      return await next(input);
    } catch (err) {
      if (isKoppelError(err) && err.type === 'RateLimited' && err.retryAfterMs) this.book.note(key, this.now() + err.retryAfterMs);
      throw err;
    }
  }
}

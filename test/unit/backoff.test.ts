/** Per-credential back-off: the book (pure) and the activity interceptor in a real activity context. */
import { MockActivityEnvironment } from '@temporalio/testing';
import type { ActivityExecuteInput } from '@temporalio/worker';
import { BackoffBook } from '../../src/domain/backoff';
import { isKoppelError, rateLimitedError } from '../../src/domain/errors';
import { credentialOwner, CredentialBackoffInterceptor } from '../../src/temporal/backoff';
import { TASK_QUEUES } from '../../src/temporal/task-queues';

test('the book keeps the later deadline per credential and forgets what has passed', () => {
  const b = new BackoffBook();
  b.note('nmbrs|t/k1', 10_000);
  b.note('nmbrs|t/k1', 5_000);
  expect(b.remaining('nmbrs|t/k1', 4_000)).toBe(6_000);
  expect(b.remaining('nmbrs|t/k2', 4_000)).toBe(0);
  expect(b.remaining('nmbrs|t/k1', 10_000)).toBe(0);
  expect(b.size).toBe(0);
});

test('the credential owner comes from the entity or cycle workflow id', () => {
  expect(credentialOwner('koppeling/acme/k_1')).toBe('acme/k_1');
  expect(credentialOwner('koppeling/acme/k_1/cycle-3-abcd')).toBe('acme/k_1');
  expect(credentialOwner('something-else')).toBeUndefined();
});

describe('the interceptor', () => {
  const input = { args: [], headers: {} } as unknown as ActivityExecuteInput;
  const env = (workflowId: string) =>
    new MockActivityEnvironment({ taskQueue: TASK_QUEUES.nmbrs, workflowExecution: { workflowId, runId: 'r' } });

  test('after a 429 the same credential waits without calling; another koppeling does not', async () => {
    let now = 1_000_000;
    const icpt = new CredentialBackoffInterceptor(new BackoffBook(), () => now);
    const calls: string[] = [];
    const run = (wf: string, fail = false) =>
      env(wf).run(() =>
        icpt.execute(input, async () => {
          calls.push(wf);
          if (fail) throw rateLimitedError('nmbrs', 30_000);
          return 'ok';
        }),
      );
    await expect(run('koppeling/t/k1/cycle-1', true)).rejects.toMatchObject({ type: 'RateLimited' });
    const early = await run('koppeling/t/k1/cycle-1').catch((e: unknown) => e);
    expect(isKoppelError(early) && early.type === 'RateLimited' && early.retryAfterMs).toBe(30_000);
    expect(await run('koppeling/t/k2/cycle-1')).toBe('ok');
    now += 30_000;
    expect(await run('koppeling/t/k1/cycle-2')).toBe('ok');
    expect(calls).toEqual(['koppeling/t/k1/cycle-1', 'koppeling/t/k2/cycle-1', 'koppeling/t/k1/cycle-2']);
  });
});

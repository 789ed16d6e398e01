/**
 * The Nmbrs → eAccounting cycle on the time-skipping test server, with the production workflow
 * bundle and mocked activities: a 429 waits the seconds Visma states (skipped, not slept), an
 * auth error stops the cycle, a missing account or fiscal year does not stop the other runs.
 */
import type { CycleIds, PostRunInput, PostRunResult, ScanResult } from '../../../activities/nmbrs-eaccounting';
import { KoppelError, rateLimitedError } from '../../../src/domain/errors';
import { EACCOUNTING } from '../../../src/systems/eaccounting/identity';
import type { CycleInput, CycleOutcome } from '../../../workflows/cycle';
import { TASK_QUEUES } from '../../../src/temporal/task-queues';
import { useTimeSkipping } from '../../support/time-skipping';

jest.setTimeout(120_000);

const ts = useTimeSkipping(require.resolve('../../../workflows'));

const work = (n: number): ScanResult => ({
  active: true,
  runsSeen: n,
  notLocked: 0,
  unchanged: 0,
  lockedBefore: 0,
  waitingForManualSend: 0,
  work: Array.from({ length: n }, (_v, i) => ({ runKey: `1001/2026/${41001 + i}`, hash: `h${i}`, kind: 'new' as const, label: `Run 2026-0${i + 1} (run ${i + 1})` })),
});
const sent = (label: string): PostRunResult => ({ status: 'sent', label, vouchers: 1, reversals: 0 });

async function runCycle(scan: ScanResult, post: (i: PostRunInput) => Promise<PostRunResult>) {
  const activities = { nmbrsEaScanRuns: async (_i: CycleIds) => scan, nmbrsEaPostRun: post };
  return ts.withWorkers(
    activities,
    async () => {
      const workflowId = ts.track(`cycle-ea-${Date.now()}-${Math.random()}`);
      const input: CycleInput = { tenantId: 't1', koppelingId: 'k1', type: 'nmbrs-eaccounting', cycleNo: 1, trigger: 'syncNow', closedPeriods: [] };
      const t0 = await ts.env.currentTimeMs();
      const handle = await ts.env.client.workflow.start('nmbrsEaccountingCycle', { workflowId, taskQueue: TASK_QUEUES.workflows, args: [input] });
      let outcome: CycleOutcome | undefined;
      let error: unknown;
      try {
        outcome = (await handle.result()) as CycleOutcome;
      } catch (err) {
        error = err;
      }
      return { outcome, error, elapsedMs: (await ts.env.currentTimeMs()) - t0 };
    },
    ['nmbrs', 'eaccounting'],
  );
}

test('a 429 "Try again in 55 seconds" makes the run wait 55 s of workflow time, then it is sent', async () => {
  const calls: number[] = [];
  const r = await runCycle(work(1), async (i) => {
    calls.push(Date.now());
    if (calls.length === 1) throw rateLimitedError(EACCOUNTING, 55_000, 'API calls quota exceeded! maximum admitted 600 per Minute. Try again in 55 seconds.');
    return sent(i.runKey);
  });
  expect(r.error).toBeUndefined();
  expect(r.outcome).toMatchObject({ result: 'ok', counts: { verstuurd: 1, vouchers: 1 } });
  expect(calls).toHaveLength(2);
  expect(r.elapsedMs).toBeGreaterThanOrEqual(55_000);
});

test('a refused token stops the cycle (the entity waits for a new authorisation); no later run is started', async () => {
  const seen: string[] = [];
  const r = await runCycle({ ...work(6) }, async (i) => {
    seen.push(i.runKey);
    throw new KoppelError({ type: 'ReauthRequired', system: 'eaccounting', code: 'OAUTH_REAUTH', message: 'invalid_grant', oorzaak: 'De verbinding is niet meer geautoriseerd.', oplossing: 'Autoriseer opnieuw.' });
  });
  expect(r.outcome).toBeUndefined();
  // WorkflowFailedError → ActivityFailure → the ApplicationFailure of the KoppelError.
  expect((r.error as { cause?: { cause?: { type?: string } } })?.cause?.cause?.type).toBe('ReauthRequired');
  // Four lanes were in flight when the first refusal came; none after it.
  expect(seen.length).toBeLessThanOrEqual(4);
});

test('a blocked account and a missing fiscal year do not stop the other runs', async () => {
  const r = await runCycle(work(3), async (i) => {
    if (i.runKey.endsWith('41001')) return { status: 'blocked', label: 'Run 2026-01 (run 1)', vouchers: 0, reversals: 0, missingCodes: ['4999'], problem: { oorzaak: 'Run 2026-01 (run 1): rekening 4999 ontbreekt in eAccounting.', oplossing: '' } };
    if (i.runKey.endsWith('41002')) return { status: 'noFiscalYear', label: 'Run 2026-02 (run 2)', vouchers: 0, reversals: 0, problem: { oorzaak: 'Het boekjaar is nog niet aangemaakt', oplossing: 'maak het boekjaar aan', code: '3000' } };
    return sent(i.runKey);
  });
  expect(r.outcome).toMatchObject({ result: 'blocked_mapping', missingCodes: ['4999'], counts: { verstuurd: 1, geblokkeerd: 1, geenBoekjaar: 1 } });
  expect(r.outcome!.error!.oorzaak).toContain('4999');

  const noYear = await runCycle(work(1), async () => ({ status: 'noFiscalYear', label: 'Run 2026-01 (run 1)', vouchers: 0, reversals: 0, problem: { oorzaak: 'Het boekjaar is nog niet aangemaakt', oplossing: 'maak het boekjaar aan', code: '3000' } }));
  expect(noYear.outcome).toMatchObject({ result: 'partial', error: { type: 'InvalidData', oplossing: 'maak het boekjaar aan' } });
});

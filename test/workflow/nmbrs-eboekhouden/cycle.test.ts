/**
 * The Nmbrs → e-Boekhouden koppeling on the time-skipping test server, with the production
 * workflow bundle (workflows/index.ts) and mocked activities:
 * - the daily loop runs once a day at 06:00 Amsterdam, also across the DST change of 2027-03-28;
 * - the cycle's orchestration: blocked runs do not stop the others, auth errors stop the cycle.
 *
 * The test server starts at the real current time and cannot be set, so reaching the next DST
 * change means skipping months. That is cheap: each day is one cycle with instant activities (the
 * skip is measured and printed). Continue-as-new is forced every few weeks on the way, so the
 * cadence is also shown to survive it.
 */
import type { CycleIds, PostRunInput, PostRunResult, ScanResult } from '../../../activities/nmbrs-eboekhouden';
import { nextDueAt, type RecordStatusInput } from '../../../activities/runtime';
import { formatLocal } from '../../../src/domain/cadence';
import { KoppelError } from '../../../src/domain/errors';
import type { CycleInput, CycleOutcome } from '../../../workflows/cycle';
import { statusQuery, stopUpdate } from '../../../workflows/messages';
import { TASK_QUEUES } from '../../../src/temporal/task-queues';
import { spreadLocal } from '../../support/spread';
import { useTimeSkipping } from '../../support/time-skipping';

jest.setTimeout(180_000);

// The production bundle: the koppeling type plugs in through workflows/index.ts.
const ts = useTimeSkipping(require.resolve('../../../workflows'));

interface Mocks {
  scan: (i: CycleIds) => Promise<ScanResult>;
  post?: (i: PostRunInput) => Promise<PostRunResult>;
}

let probes = 0;

/** One worker per queue the cycle uses: workflows, Nmbrs activities, e-Boekhouden activities. */
async function withWorkers<T>(mocks: Mocks, fn: () => Promise<T>) {
  const statuses: RecordStatusInput[] = [];
  const activities = {
    nextDueAt,
    recordStatus: async (i: RecordStatusInput) => void statuses.push(i),
    nmbrsEbScanRuns: mocks.scan,
    nmbrsEbPostRun: mocks.post ?? (async () => { throw new Error('no post expected'); }),
    // These tests are about the cycle: the probe always sees a change, so every tick runs one
    // (idle ticks: test/workflow/koppeling.test.ts, test/integration/*/idle.test.ts).
    nmbrsEbProbe: async () => ({ fingerprint: `changed-${++probes}` }),
  };
  const result = await ts.withWorkers(activities, fn, ['nmbrs', 'eboekhouden']);
  return { result, statuses };
}

const idle = (runs = 10): ScanResult => ({ active: true, runsSeen: runs, notLocked: 1, unchanged: runs - 1, skippedBefore: 0, work: [] });

/** The next EU spring-forward after `ms` at least two days away: last Sunday of March, 01:00 UTC. */
function nextSpringForward(ms: number): Date {
  for (let year = new Date(ms).getUTCFullYear(); ; year++) {
    const d = new Date(Date.UTC(year, 2, 31, 1));
    d.setUTCDate(31 - d.getUTCDay());
    if (d.getTime() - ms > 2 * 86_400_000) return d;
  }
}

const ymd = (d: Date, plusDays = 0) => new Date(d.getTime() + plusDays * 86_400_000).toISOString().slice(0, 10);

test('the daily loop runs once a day at 06:00 Amsterdam, before and after the next spring DST change', async () => {
  const scans: CycleIds[] = [];
  const skipStarted = Date.now();
  let change!: Date;
  const { result: view, statuses } = await withWorkers({ scan: async (i) => (scans.push(i), idle()) }, async () => {
    change = nextSpringForward(await ts.env.currentTimeMs());
    const workflowId = `koppeling/t1/nmbrs-eb-dst-${Date.now()}`;
    ts.track(workflowId);
    const wf = await ts.env.client.workflow.start('koppelingWorkflow', {
      workflowId,
      taskQueue: TASK_QUEUES.workflows,
      args: [{ tenantId: 't1', koppelingId: 'k-dst', type: 'nmbrs-eboekhouden', cadence: { kind: 'daily', at: '06:00' }, maxHistoryEvents: 600 }],
    });
    const firstRun = (await wf.describe()).runId;
    // Until noon UTC of the day after the change (its 06:00 Amsterdam is 04:00 UTC).
    const target = Date.parse(`${ymd(change, 1)}T12:00:00Z`);
    await ts.env.sleep(Math.max(0, target - (await ts.env.currentTimeMs())));
    for (let i = 0; i < 100; i++) {
      const s = await wf.query(statusQuery);
      if (s.lastCycle && Date.parse(s.lastCycle.at) >= Date.parse(`${ymd(change, 1)}T04:00:00Z`) && s.state === 'ACTIVE') break;
      await ts.env.sleep('1 minute');
    }
    const s = await wf.query(statusQuery);
    if (s.cycleNo > 40) expect((await wf.describe()).runId).not.toBe(firstRun); // continued as new on the way
    await wf.executeUpdate(stopUpdate, { args: [] });
    await wf.result();
    return s;
  });
  const skipMs = Date.now() - skipStarted;

  const cycles = statuses.filter((x) => x.logEntry?.code === 'CYCLE_OK').map((x) => new Date(x.status.lastSyncAt!));
  // eslint-disable-next-line no-console
  console.log(`time-skipping: ${cycles.length} daily cycles up to ${formatLocal(cycles.at(-1)!)} in ${(skipMs / 1000).toFixed(1)} s real time`);
  expect(scans.length).toBe(cycles.length);
  const scheduled = cycles.slice(1); // the first ran at start, not on the schedule
  expect(scheduled.length).toBeGreaterThanOrEqual(3);
  // Every scheduled cycle at 06:00 local (moved by the koppeling's spread offset), one per calendar day without gaps or doubles.
  const days = scheduled.map((d) => formatLocal(d));
  for (const d of days) expect(d.slice(11)).toBe(spreadLocal('06:00', { kind: 'daily', at: '06:00' }, 'k-dst'));
  for (let i = 1; i < days.length; i++) {
    const prev = new Date(`${days[i - 1].slice(0, 10)}T00:00:00Z`);
    prev.setUTCDate(prev.getUTCDate() + 1);
    expect(days[i].slice(0, 10)).toBe(prev.toISOString().slice(0, 10));
  }
  // The UTC hour moves when the clocks do: 05:00 UTC in winter, 04:00 UTC from the change on.
  const minute = spreadLocal('06:00', { kind: 'daily', at: '06:00' }, 'k-dst').slice(3);
  const at = (day: string) => scheduled.find((d) => formatLocal(d).startsWith(day))!.toISOString().slice(0, 16);
  expect(at(ymd(change, -1))).toBe(`${ymd(change, -1)}T05:${minute}`);
  expect(at(ymd(change))).toBe(`${ymd(change)}T04:${minute}`);
  expect(at(ymd(change, 1))).toBe(`${ymd(change, 1)}T04:${minute}`);
  expect(view.cycleNo).toBe(cycles.length); // numbering continued across continue-as-new
});

test('the cycle books the complete runs, then blocks on the missing code; auth trouble stops it', async () => {
  const work = (n: number) => ({ runKey: `1001/2026/4100${n}`, hash: `h${n}`, kind: 'new' as const, label: `Run 2026-0${n} (run ${n})` });
  const posted: string[] = [];
  const post = async (i: PostRunInput): Promise<PostRunResult> => {
    posted.push(i.runKey);
    const n = Number(i.runKey.slice(-1));
    if (n === 1) return { status: 'closed', label: 'Run 2026-01 (run 1)', mutaties: 0, tegenboekingen: 0, closedThrough: '2026-01-31' };
    if (n < 5) await new Promise((r) => setTimeout(r, 300));
    // Run 5 starts when run 1 is done (four at a time): it gets the closing date run 1 learned.
    else expect(i.closedThrough).toBe('2026-01-31');
    if (n === 2) return { status: 'blocked', label: 'Run 2026-02 (run 2)', mutaties: 0, tegenboekingen: 0, missingCodes: ['4105'] };
    return { status: 'posted', label: `Run 2026-0${n} (run ${n})`, mutaties: 1, tegenboekingen: 0 };
  };
  const scan = async (): Promise<ScanResult> => ({ active: true, runsSeen: 5, notLocked: 0, unchanged: 0, skippedBefore: 0, work: [1, 2, 3, 4, 5].map(work) });
  const input: CycleInput = { tenantId: 't1', koppelingId: 'k1', type: 'nmbrs-eboekhouden', cycleNo: 1, trigger: 'syncNow', closedPeriods: [] };

  const { result } = await withWorkers({ scan, post }, () =>
    ts.env.client.workflow.execute<(i: CycleInput) => Promise<CycleOutcome>>('nmbrsEboekhoudenCycle', { workflowId: `cycle-${Date.now()}`, taskQueue: TASK_QUEUES.workflows, args: [input] }),
  );
  expect(posted.sort()).toEqual([1, 2, 3, 4, 5].map((n) => `1001/2026/4100${n}`)); // run 2 did not stop the others
  expect(result).toMatchObject({
    result: 'blocked_mapping',
    missingCodes: ['4105'],
    counts: { runs: 5, geboekt: 3, geblokkeerd: 1, afgeslotenPeriode: 1, memorialen: 3 },
    error: { type: 'MappingIncomplete' },
  });
  expect(result.summary).toBe('5 runs bekeken: 3 geboekt, 1 niet geboekt wegens afgesloten periode, 1 wacht op grootboekrekening 4105; 3 memorialen geboekt.');
  expect(result.error!.oorzaak).toContain('Run 2026-02 (run 2) is daarom niet geboekt');

  const denied = async (): Promise<ScanResult> => {
    throw new KoppelError({ type: 'PermissionDenied', system: 'nmbrs', code: '1002', message: 'x', oorzaak: 'Geen rechten.', oplossing: 'Activeer de call.' });
  };
  const failed = await withWorkers({ scan: denied }, () =>
    ts.env.client.workflow
      .execute<(i: CycleInput) => Promise<CycleOutcome>>('nmbrsEboekhoudenCycle', { workflowId: `cycle-denied-${Date.now()}`, taskQueue: TASK_QUEUES.workflows, args: [input] })
      .then(() => 'completed', (err: Error) => err),
  );
  expect(failed.result).toBeInstanceOf(Error);
  expect(String((failed.result as Error & { cause?: { cause?: { type?: string } } }).cause?.cause?.type)).toBe('PermissionDenied');
});

test('an inactive koppeling books nothing', async () => {
  const { result } = await withWorkers({ scan: async () => ({ ...idle(0), active: false }) }, () =>
    ts.env.client.workflow.execute<(i: CycleInput) => Promise<CycleOutcome>>('nmbrsEboekhoudenCycle', {
      workflowId: `cycle-inactive-${Date.now()}`,
      taskQueue: TASK_QUEUES.workflows,
      args: [{ tenantId: 't1', koppelingId: 'k1', type: 'nmbrs-eboekhouden', cycleNo: 1, trigger: 'schedule', closedPeriods: [] }],
    }),
  );
  expect(result).toMatchObject({ result: 'ok', summary: 'De koppeling staat niet op actief: er is niets gesynchroniseerd.' });
});

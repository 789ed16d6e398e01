/**
 * Nmbrs ↔ Mijn Kantoor on the time-skipping test server, production workflow bundle, mocked
 * activities: the hourly window runs from 07:00 to 20:00 Amsterdam, nothing at 22:00 or during
 * the night, and the 07:00 cycle files what arrived overnight (catch-up). Also the cycle's
 * orchestration: a missing right stops it (the entity waits), per-relation conflicts make it partial.
 */
import type { CycleIds, FileResult, RelationsResult, ScanResult, WorkItem } from '../../../activities/nmbrs-mijnkantoor';
import { nextDueAt, type RecordStatusInput } from '../../../activities/runtime';
import { formatLocal, localParts, zonedToUtc } from '../../../src/domain/cadence';
import { KoppelError } from '../../../src/domain/errors';
import { TASK_QUEUES } from '../../../src/temporal/task-queues';
import type { CycleInput, CycleOutcome } from '../../../workflows/cycle';
import { statusQuery, stopUpdate } from '../../../workflows/messages';
import { useTimeSkipping } from '../../support/time-skipping';

jest.setTimeout(180_000);

const ts = useTimeSkipping(require.resolve('../../../workflows'));

const noRelations = async (): Promise<RelationsResult> => ({ created: 0, updated: 0, unchanged: 2, contacts: 0, conflicts: [] });
const scanOf = (work: WorkItem[]): ScanResult => ({ companies: 2, matched: 2, work, unchanged: 10, waiting: 0, waitingReasons: [], conflicts: [] });
const item = (n: number): WorkItem => ({
  kind: 'loonstroken',
  companyId: 1001,
  customerId: 'cus_1',
  year: 2026,
  sourceId: 41000 + n,
  fingerprint: `fp${n}`,
  runNumber: n,
  periodStart: n,
  periodEnd: n,
  label: `Loonstroken run ${n}`,
});

interface Mocks {
  scan: (i: CycleIds) => Promise<ScanResult>;
  file?: (i: CycleIds & { item: WorkItem }) => Promise<FileResult>;
  relations?: (i: CycleIds) => Promise<RelationsResult>;
}

async function withWorkers<T>(mocks: Mocks, fn: () => Promise<T>) {
  const statuses: RecordStatusInput[] = [];
  const activities = {
    nextDueAt,
    recordStatus: async (i: RecordStatusInput) => void statuses.push(i),
    nmkScan: mocks.scan,
    nmkFile: mocks.file ?? (async (i: { item: WorkItem }) => ({ status: 'filed', name: i.item.label })),
    nmkRelations: mocks.relations ?? noRelations,
    nmkReport: async () => undefined,
    // The idle probe answers "work waiting" on every tick: this file is about when ticks happen, so each runs its cycle.
    nmkProbe: async () => ({ fingerprint: 'window', outstanding: true }),
  };
  const result = await ts.withWorkers(activities, fn, ['nmbrs', 'mijnkantoor']);
  return { result, statuses };
}

/** The instant of local `hh:mm` on the first day (from `fromMs`) where it lies at least `minAheadMs` ahead. */
function nextLocal(fromMs: number, hh: number, mm: number, minAheadMs = 0): number {
  const start = localParts(new Date(fromMs));
  for (let d = 0; d < 4; d++) {
    const day = new Date(Date.UTC(start.year, start.month - 1, start.day + d));
    const at = zonedToUtc(day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate(), hh, mm)!.getTime();
    if (at - fromMs >= minAheadMs) return at;
  }
  throw new Error('no such time');
}

test('hourly 07:00–20:00: nothing at 22:00 or in the night, and the 07:00 cycle files what arrived overnight', async () => {
  const arrivals: WorkItem[] = [];
  const filedAt: Array<{ item: WorkItem; cycleNo: number }> = [];
  const scans: number[] = [];
  const { statuses } = await withWorkers(
    {
      scan: async (i) => (scans.push(i.cycleNo), scanOf(arrivals.splice(0))),
      file: async (i) => (filedAt.push({ item: i.item, cycleNo: i.cycleNo }), { status: 'filed', name: i.item.label }),
    },
    async () => {
      const workflowId = ts.track(`koppeling/t1/nmk-window-${Date.now()}`);
      const wf = await ts.env.client.workflow.start('koppelingWorkflow', {
        workflowId,
        taskQueue: TASK_QUEUES.workflows,
        args: [{ tenantId: 't1', koppelingId: 'k-window', type: 'nmbrs-mijnkantoor', cadence: { kind: 'hourly', from: '07:00', to: '20:00', minute: 0 } }],
      });
      // To 22:30 Amsterdam (at least an hour ahead, so the evening's last cycles happen on the way).
      const now = await ts.env.currentTimeMs();
      const evening = nextLocal(now, 22, 30, 3_600_000);
      await ts.env.sleep(evening - now);
      const beforeNight = (await wf.query(statusQuery)).cycleNo;
      // A document arrives at 22:30: no cycle may pick it up before 07:00.
      arrivals.push(item(9));
      const morning = nextLocal(evening, 7, 30, 3_600_000);
      await ts.env.sleep(morning - (await ts.env.currentTimeMs()));
      for (let i = 0; i < 50 && filedAt.length === 0; i++) await ts.env.sleep('1 minute');
      expect(beforeNight).toBeGreaterThanOrEqual(1);
      await wf.executeUpdate(stopUpdate, { args: [] });
      await wf.result();
    },
  );
  const cycles = statuses.filter((x) => x.logEntry?.code?.startsWith('CYCLE_')).map((x) => ({ at: new Date(x.status.lastSyncAt!), code: x.logEntry!.code, cycleNo: x.logEntry!.cycleNo }));
  const scheduled = cycles.slice(1); // the first ran at start
  expect(scheduled.length).toBeGreaterThanOrEqual(1);
  for (const c of scheduled) {
    const hour = localParts(c.at).hour;
    expect(hour >= 7 && hour <= 20).toBe(true); // 07:00 up to and including 20:xx (spread offset < 10 min)
    expect(localParts(c.at).minute).toBeLessThan(10);
  }
  // The arrival was filed by the first cycle after the night, at 07:0x local.
  expect(filedAt).toHaveLength(1);
  const catchUp = cycles.find((c) => c.cycleNo === filedAt[0].cycleNo)!;
  expect(formatLocal(catchUp.at).slice(11, 15)).toBe('07:0');
  const before = cycles.filter((c) => c.at < catchUp.at).at(-1)!;
  expect(localParts(before.at).hour).toBe(20); // the evening's last: nothing between 20:xx and 07:xx
});

test('a missing right stops the cycle (the entity waits); relation conflicts make it partial, the rest is filed', async () => {
  const input: CycleInput = { tenantId: 't1', koppelingId: 'k1', type: 'nmbrs-mijnkantoor', cycleNo: 1, trigger: 'syncNow', closedPeriods: [] };
  const run = () =>
    ts.env.client.workflow.execute<(i: CycleInput) => Promise<CycleOutcome>>('nmbrsMijnkantoorCycle', {
      workflowId: `nmk-cycle-${Date.now()}-${Math.random()}`,
      taskQueue: TASK_QUEUES.workflows,
      args: [input],
    });
  const conflict = { relation: 'nmbrs:1004', number: '99', name: 'Zonder Relatie', reason: 'Er is geen relatie met nummer 99.' };
  const { result } = await withWorkers({ scan: async () => ({ ...scanOf([item(1), item(2)]), conflicts: [conflict] }) }, run);
  expect(result).toMatchObject({ result: 'partial', counts: { gearchiveerd: 2, conflicten: 1 }, error: { type: 'InvalidData' } });
  expect(result.error!.oorzaak).toContain('Zonder Relatie');

  const denied = await withWorkers(
    {
      scan: async () => scanOf([item(1)]),
      file: async () => {
        throw new KoppelError({ type: 'PermissionDenied', system: 'nmbrs', code: '1002', message: 'x', oorzaak: 'Rechten ontbreken.', oplossing: 'Zet ze op Actief.' });
      },
    },
    () => run().then(() => 'completed', (err: Error) => err),
  );
  expect(String((denied.result as Error & { cause?: { cause?: { type?: string } } }).cause?.cause?.type)).toBe('PermissionDenied');
});

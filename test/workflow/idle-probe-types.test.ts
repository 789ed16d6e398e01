/**
 * The shipped types that got their probe later (nmbrs-eaccounting, nmbrs-mijnkantoor), on the
 * time-skipping server with the production workflow bundle: a new run records the type's own patch
 * and probes on the Nmbrs queue; an unchanged source makes a due tick idle (no child workflow, no
 * status write), a change runs the cycle at the next tick. The activities stand in for the
 * simulators (test/integration/idle-probe.test.ts runs the real ones).
 */
import type { WorkflowHandle } from '@temporalio/client';
import { nextDueAt, type RecordStatusInput } from '../../activities/runtime';
import type { Cadence } from '../../src/domain/cadence';
import type { ProbeResult } from '../../src/domain/koppeling-machine';
import { NMBRS } from '../../src/systems/nmbrs/identity';
import { koppelingWorkflow } from '../../workflows/koppeling';
import { statusQuery, stopUpdate, type KoppelingStatusView } from '../../workflows/messages';
import { probeOf } from '../../workflows/probes';
import { useTimeSkipping } from '../support/time-skipping';

jest.setTimeout(120_000);

const ts = useTimeSkipping(require.resolve('../../workflows'));

interface TypeCase {
  type: string;
  cadence: Cadence;
  probe: string;
  /** The cycle's first activity, counted per cycle. */
  scanName: string;
  activities: (count: () => void) => Record<string, (...a: never[]) => Promise<unknown>>;
}

const CASES: TypeCase[] = [
  {
    type: 'nmbrs-eaccounting',
    cadence: { kind: 'interval', everyMinutes: 60 },
    probe: 'nmbrsEaProbe',
    scanName: 'nmbrsEaScanRuns',
    activities: (count) => ({
      nmbrsEaScanRuns: async () => (count(), { active: true, runsSeen: 0, notLocked: 0, unchanged: 0, lockedBefore: 0, waitingForManualSend: 0, work: [] }),
    }),
  },
  {
    type: 'nmbrs-mijnkantoor',
    cadence: { kind: 'hourly', from: '07:00', to: '20:00', minute: 0 },
    probe: 'nmkProbe',
    scanName: 'nmkScan',
    activities: (count) => ({
      nmkRelations: async () => ({ created: 0, updated: 0, unchanged: 0, contacts: 0, conflicts: [] }),
      nmkScan: async () => (count(), { companies: 0, matched: 0, work: [], unchanged: 0, waiting: 0, waitingReasons: [], conflicts: [] }),
      nmkFile: async () => ({ status: 'unchanged', name: '' }),
      nmkReport: async () => undefined,
    }),
  },
];

async function settle(h: WorkflowHandle, until: (s: KoppelingStatusView) => boolean): Promise<KoppelingStatusView> {
  for (let i = 0; i < 200; i++) {
    const s = await h.query(statusQuery);
    if (until(s)) return s;
    await ts.env.sleep('1s');
  }
  throw new Error(`condition not reached; last status ${JSON.stringify(await h.query(statusQuery))}`);
}

/** Let the next due tick happen and finish (its cycle, if any, done; the next due time set). */
async function nextTick(h: WorkflowHandle): Promise<KoppelingStatusView> {
  const due = Date.parse((await h.query(statusQuery)).nextDueAt!);
  await ts.env.sleep(Math.max(1_000, due - (await ts.env.currentTimeMs()) + 1_000));
  return settle(h, (s) => !!s.lastCheckedAt && Date.parse(s.lastCheckedAt) >= due && s.state === 'ACTIVE' && Date.parse(s.nextDueAt!) > Date.parse(s.lastCheckedAt));
}

test.each(CASES)('$type: its own patch, an idle tick on an unchanged source, a cycle after a change', async (c) => {
  let fingerprint = 'v1';
  let scans = 0;
  const statuses: RecordStatusInput[] = [];
  const activities = {
    nextDueAt,
    recordStatus: async (i: RecordStatusInput) => void statuses.push(i),
    [c.probe]: async (): Promise<ProbeResult> => ({ fingerprint }),
    ...c.activities(() => scans++),
  };
  await ts.withWorkers(activities, async () => {
    const wf = await ts.env.client.workflow.start(koppelingWorkflow, {
      workflowId: ts.track(`koppeling/t1/${c.type}-${Date.now()}`),
      taskQueue: 'koppelwerk',
      args: [{ tenantId: 't1', koppelingId: `${c.type}-1`, type: c.type, cadence: c.cadence }],
    });
    await settle(wf, (s) => s.lastCycle?.cycleNo === 1 && s.state === 'ACTIVE');
    expect(scans).toBe(1);
    const writes = statuses.length;

    await nextTick(wf);
    let s = await nextTick(wf);
    expect(s.cycleNo).toBe(1);
    expect(s.idleChecks).toBe(2);
    expect(scans).toBe(1);
    expect(statuses).toHaveLength(writes);

    fingerprint = 'v2';
    s = await nextTick(wf);
    expect(s.cycleNo).toBe(2);
    expect(s.lastCycle).toMatchObject({ result: 'ok' });
    expect(scans).toBe(2);
    s = await nextTick(wf);
    expect(s.cycleNo).toBe(2);
    expect(s.idleChecks).toBe(1);

    const events = (await wf.fetchHistory()).events ?? [];
    const markers = events.flatMap((e) => (e.markerRecordedEventAttributes ? [JSON.stringify(e.markerRecordedEventAttributes.details ?? {})] : []));
    const patch = probeOf(c.type)!.patch!;
    expect(patch).toBe(`idle-probe-${c.type}`);
    expect(markers.some((m) => m.includes(Buffer.from(JSON.stringify(patch)).toString('base64')))).toBe(true);
    const probes = events.filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === c.probe);
    expect(probes).toHaveLength(5); // the start's, four ticks
    expect(probes.every((e) => e.activityTaskScheduledEventAttributes!.taskQueue!.name === NMBRS.taskQueue)).toBe(true);
    expect(events.filter((e) => e.startChildWorkflowExecutionInitiatedEventAttributes)).toHaveLength(2);

    await wf.executeUpdate(stopUpdate, { args: [] });
    await wf.result();
  }, ['nmbrs', 'mijnkantoor']);
});

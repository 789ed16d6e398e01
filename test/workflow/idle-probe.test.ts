/**
 * Idle due ticks on the time-skipping server: a koppeling type with a probe ("test-probing", see
 * test/support/workflows.ts) runs no cycle when its source is as the last good cycle left it, and
 * such a tick costs at most 15 history events and no MongoDB write. Event counts are deterministic.
 */
import type { WorkflowHandle } from '@temporalio/client';
import { nextDueAt, type RecordStatusInput } from '../../activities/runtime';
import type { ProbeResult } from '../../src/domain/koppeling-machine';
import type { CycleInput, CycleOutcome } from '../../workflows/cycle';
import { koppelingWorkflow } from '../../workflows/koppeling';
import { configChangedSignal, mappingChangedSignal, statusQuery, stopUpdate, syncNowUpdate, type KoppelingStatusView } from '../../workflows/messages';
import { useTimeSkipping } from '../support/time-skipping';

jest.setTimeout(120_000);

const ts = useTimeSkipping(require.resolve('../support/workflows'));
const QUARTER = { kind: 'interval', everyMinutes: 15 } as const;

/** The source as the probe sees it, and what each cycle returns. */
class Source {
  fingerprint = 'v1';
  outstanding = false;
  probeFails = false;
  nextResult: CycleOutcome['result'] = 'ok';
  readonly cycles: CycleInput[] = [];
  readonly statuses: RecordStatusInput[] = [];
  probes = 0;

  activities() {
    return {
      nextDueAt,
      recordStatus: async (i: RecordStatusInput) => void this.statuses.push(i),
      testStep: async (i: CycleInput): Promise<CycleOutcome> => {
        this.cycles.push(i);
        const result = this.nextResult;
        this.nextResult = 'ok';
        return { result, counts: {}, summary: result };
      },
      testProbe: async (): Promise<ProbeResult> => {
        this.probes++;
        if (this.probeFails) throw new Error('bron even niet bereikbaar');
        return this.outstanding ? { fingerprint: this.fingerprint, outstanding: true } : { fingerprint: this.fingerprint };
      },
    };
  }
}

let seq = 0;
async function start(): Promise<WorkflowHandle<typeof koppelingWorkflow>> {
  seq++;
  const workflowId = ts.track(`koppeling/t1/p${seq}-${Date.now()}`);
  return ts.env.client.workflow.start(koppelingWorkflow, {
    workflowId,
    taskQueue: 'koppelwerk',
    args: [{ tenantId: 't1', koppelingId: `p${seq}`, type: 'test-probing', cadence: QUARTER }],
  });
}

async function settle(h: WorkflowHandle, until: (s: KoppelingStatusView) => boolean): Promise<KoppelingStatusView> {
  for (let i = 0; i < 200; i++) {
    const s = await h.query(statusQuery);
    if (until(s)) return s;
    await ts.env.sleep('1s');
  }
  throw new Error(`condition not reached; last status ${JSON.stringify(await h.query(statusQuery))}`);
}

/** The next `n` due ticks have been checked (idle or not) and the workflow waits again. */
async function ticks(h: WorkflowHandle, n: number): Promise<KoppelingStatusView> {
  const due = Date.parse((await h.query(statusQuery)).nextDueAt!);
  const last = due + (n - 1) * 15 * 60_000;
  await ts.env.sleep(`${15 * n} minutes`);
  // Checked at the last of those ticks, and done with it: its cycle (if any) over, the next due time set.
  return settle(h, (s) => !!s.lastCheckedAt && Date.parse(s.lastCheckedAt) >= last && s.state === 'ACTIVE' && Date.parse(s.nextDueAt!) > Date.parse(s.lastCheckedAt));
}

async function stop(h: WorkflowHandle) {
  await h.executeUpdate(stopUpdate, { args: [] });
  await h.result();
}

test('an unchanged source: due ticks run no cycle, write nothing, and cost at most 15 history events each', async () => {
  const src = new Source();
  await ts.withWorkers(src.activities(), async () => {
    const wf = await start();
    await settle(wf, (s) => s.lastCycle?.cycleNo === 1 && s.state === 'ACTIVE');
    expect(src.cycles.map((c) => c.trigger)).toEqual(['start']); // probed first, then the full cycle
    const writes = src.statuses.length;

    const s = await ticks(wf, 4);
    expect(src.cycles).toHaveLength(1);
    expect(s.cycleNo).toBe(1);
    expect(s.idleChecks).toBe(4);
    expect(Date.parse(s.lastCheckedAt!)).toBeGreaterThan(Date.parse(s.lastCycle!.at));
    expect(src.statuses).toHaveLength(writes); // no status write, no log line

    // Events of one idle tick: from one probe's scheduling to the next one's.
    const events = (await wf.fetchHistory()).events ?? [];
    const probes = events
      .map((e, i) => ({ i, name: e.activityTaskScheduledEventAttributes?.activityType?.name }))
      .filter((e) => e.name === 'testProbe')
      .map((e) => e.i);
    expect(probes.length).toBe(5); // the start's and four ticks
    const perTick = probes.slice(2).map((p, k) => p - probes[k + 1]);
    // eslint-disable-next-line no-console
    console.log(`history events per idle tick: ${perTick.join(', ')}`);
    for (const n of perTick) expect(n).toBeLessThanOrEqual(15);
    const between = events.slice(probes[1], probes[4]);
    expect(between.some((e) => e.startChildWorkflowExecutionInitiatedEventAttributes)).toBe(false);
    expect(between.filter((e) => e.activityTaskScheduledEventAttributes).map((e) => e.activityTaskScheduledEventAttributes!.activityType!.name)).toEqual([
      'testProbe',
      'testProbe',
      'testProbe',
    ]);
    await stop(wf);
  });
});

test('a change in the source is picked up by the next tick; outstanding work and a cycle that did not end ok keep ticks full', async () => {
  const src = new Source();
  await ts.withWorkers(src.activities(), async () => {
    const wf = await start();
    await settle(wf, (s) => s.lastCycle?.cycleNo === 1 && s.state === 'ACTIVE');
    await ticks(wf, 1);
    expect(src.cycles).toHaveLength(1);

    // Changed: one full cycle on the schedule, then idle again.
    src.fingerprint = 'v2';
    await ticks(wf, 2);
    expect(src.cycles.map((c) => c.trigger)).toEqual(['start', 'schedule']);
    expect(src.statuses.filter((x) => x.logEntry?.code === 'CYCLE_OK')).toHaveLength(2);

    // Work waiting in the source (e.g. werkbonnen to invoice): every tick runs.
    src.outstanding = true;
    await ticks(wf, 2);
    expect(src.cycles).toHaveLength(4);
    src.outstanding = false;

    // A partial cycle never sets the watermark: the next tick runs again, the one after is idle.
    src.fingerprint = 'v3';
    src.nextResult = 'partial';
    await ticks(wf, 1);
    expect(src.cycles).toHaveLength(5);
    await ticks(wf, 1);
    expect(src.cycles).toHaveLength(6); // after the partial one: full again, now ok
    const s = await ticks(wf, 1);
    expect(src.cycles).toHaveLength(6);
    expect(s.idleChecks).toBe(1);
    await stop(wf);
  });
});

test('syncNow, a failing probe, a new mapping and new settings always run the full cycle', async () => {
  const src = new Source();
  await ts.withWorkers(src.activities(), async () => {
    const wf = await start();
    await settle(wf, (s) => s.lastCycle?.cycleNo === 1 && s.state === 'ACTIVE');

    await wf.executeUpdate(syncNowUpdate, { args: [{}] });
    await settle(wf, (s) => s.lastCycle?.cycleNo === 2 && s.state === 'ACTIVE');
    expect(src.cycles.at(-1)!.trigger).toBe('syncNow');

    src.probeFails = true;
    await ticks(wf, 1);
    expect(src.cycles).toHaveLength(3);
    src.probeFails = false;
    // That cycle had no fingerprint to leave behind: the next tick runs once more and sets it.
    await ticks(wf, 1);
    expect(src.cycles).toHaveLength(4);
    await ticks(wf, 1);
    expect(src.cycles).toHaveLength(4);

    await wf.signal(mappingChangedSignal, { mappingVersion: 7 });
    await ticks(wf, 1);
    expect(src.cycles).toHaveLength(5);

    await wf.signal(configChangedSignal, { cadence: QUARTER, version: 9 });
    await ticks(wf, 1);
    expect(src.cycles).toHaveLength(6);
    await ticks(wf, 1);
    expect(src.cycles).toHaveLength(6);
    await stop(wf);
  });
});

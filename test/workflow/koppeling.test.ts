/**
 * The koppeling entity workflow on the time-skipping test server: days pass in seconds. Activities
 * are plain functions here (the cycle's behaviour is programmed per test); the real runtime
 * activities run against MongoDB in the integration suite.
 */
import type { WorkflowHandle } from '@temporalio/client';
import { formatLocal } from '../../src/domain/cadence';
import { KoppelError } from '../../src/domain/errors';
import { nextDueAt, type RecordStatusInput } from '../../activities/runtime';
import type { CycleInput, CycleOutcome } from '../../workflows/cycle';
import { koppelingWorkflow, type KoppelingWorkflowInput } from '../../workflows/koppeling';
import {
  configChangedSignal,
  mappingChangedSignal,
  startUpdate,
  pauseUpdate,
  reauthorizedSignal,
  resumeUpdate,
  statusQuery,
  stopUpdate,
  syncNowUpdate,
  type KoppelingStatusView,
} from '../../workflows/messages';
import { spreadLocal } from '../support/spread';
import { useTimeSkipping } from '../support/time-skipping';

jest.setTimeout(120_000);

const ts = useTimeSkipping(require.resolve('../support/workflows'));

type Behaviour = (input: CycleInput) => Promise<CycleOutcome>;

function harness(behaviour: Behaviour) {
  const calls: CycleInput[] = [];
  const statuses: RecordStatusInput[] = [];
  const activities = {
    nextDueAt,
    recordStatus: async (i: RecordStatusInput) => void statuses.push(i),
    testStep: async (i: CycleInput) => {
      calls.push(i);
      return behaviour(i);
    },
  };
  return { calls, statuses, activities };
}

const withWorker = <T>(activities: object, fn: () => Promise<T>) => ts.withWorkers(activities, fn);

let seq = 0;
async function start(cadence: KoppelingWorkflowInput['cadence'], extra: Partial<KoppelingWorkflowInput> = {}): Promise<WorkflowHandle<typeof koppelingWorkflow>> {
  seq++;
  const workflowId = ts.track(`koppeling/t1/k${seq}-${Date.now()}`);
  return ts.env.client.workflow.start(koppelingWorkflow, {
    workflowId,
    taskQueue: 'koppelwerk',
    args: [{ tenantId: 't1', koppelingId: `k${seq}`, type: 'test-koppeling', cadence, ...extra }],
  });
}

/** The validator's reason behind a rejected update. */
async function rejection(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    return (err as { cause?: Error }).cause?.message ?? String(err);
  }
  throw new Error('update was not rejected');
}

/** Stop and wait for the end, so no task is left pending when the worker goes (it would hold the clock). */
async function stop(wf: WorkflowHandle) {
  await wf.executeUpdate(stopUpdate, { args: [] });
  return (await wf.result()) as Awaited<ReturnType<typeof koppelingWorkflow>>;
}

/**
 * Cycle n (or a later one) has finished and the workflow is idle again. At least n: the test server
 * skips time while the workflow only waits on a timer, so between two queries a later cycle may run.
 */
const cycleDone = (n: number) => (v: { cycleNo: number; lastCycle?: { cycleNo: number }; state: string }) =>
  (v.lastCycle?.cycleNo ?? 0) >= n && v.state !== 'RUNNING';

const ok: Behaviour = async () => ({ result: 'ok', counts: { items: 1 }, summary: '1 item' });

/** Let the workflow process what was sent (time-skipping advances only as far as needed). */
async function settle(h: WorkflowHandle, until: (s: KoppelingStatusView) => boolean): Promise<KoppelingStatusView> {
  for (let i = 0; i < 200; i++) {
    const s = await h.query(statusQuery);
    if (until(s)) return s;
    await ts.env.sleep('1s');
  }
  throw new Error(`condition not reached; last status ${JSON.stringify(await h.query(statusQuery))}`);
}

test('a daily koppeling runs once at start, then every day at 06:00 Amsterdam', async () => {
  const h = harness(ok);
  await withWorker(h.activities, async () => {
    const wf = await start({ kind: 'daily', at: '06:00' });
    await settle(wf, cycleDone(1));
    await ts.env.sleep('3 days');
    const s = await settle(wf, cycleDone(4));
    expect(s.cycleNo).toBe(4);
    expect(h.calls.map((c) => c.trigger)).toEqual(['start', 'schedule', 'schedule', 'schedule']);
    // 06:00, moved by this koppeling's fixed spread offset (at most 15 minutes).
    const at = spreadLocal('06:00', { kind: 'daily', at: '06:00' }, s.koppelingId);
    expect(formatLocal(new Date(s.lastCycle!.at)).slice(11)).toBe(at);
    expect(formatLocal(new Date(s.nextDueAt!)).slice(11)).toBe(at);
    // The mirror in MongoDB got the cycle's log line.
    expect(h.statuses.filter((x) => x.logEntry?.code === 'CYCLE_OK')).toHaveLength(4);
    expect((await stop(wf)).state).toBe('STOPPED');
  });
});

test('pause stops the schedule, resume catches up once, syncNow runs between ticks', async () => {
  const h = harness(ok);
  await withWorker(h.activities, async () => {
    const wf = await start({ kind: 'interval', everyMinutes: 15 });
    await settle(wf, cycleDone(1));
    const paused = await wf.executeUpdate(pauseUpdate, { args: [{ reason: 'jaarafsluiting' }] });
    expect(paused.paused).toBe(true);
    await ts.env.sleep('2 hours');
    let s = await settle(wf, (v) => v.state === 'PAUSED');
    expect(s.cycleNo).toBe(1);
    expect(s.blockingReason).toBe('jaarafsluiting');
    expect(await rejection(wf.executeUpdate(syncNowUpdate, { args: [{}] }))).toMatch(/gepauzeerd/);
    expect(await rejection(wf.executeUpdate(pauseUpdate, { args: [{}] }))).toMatch(/al gepauzeerd/);
    await wf.executeUpdate(resumeUpdate, { args: [] });
    s = await settle(wf, cycleDone(2));
    expect(h.calls[1].trigger).toBe('schedule'); // one catch-up run, not eight
    const before = s.cycleNo;
    await wf.executeUpdate(syncNowUpdate, { args: [{ reason: 'werkbon klaar' }] });
    await settle(wf, cycleDone(before + 1));
    expect(h.calls.at(-1)!.trigger).toBe('syncNow');
    expect(await rejection(wf.executeUpdate(resumeUpdate, { args: [] }))).toMatch(/niet gepauzeerd/);
    await stop(wf);
  });
});

test('an auth error waits in WAITING_REAUTH, without retries, until reauthorized', async () => {
  let tokenOk = false;
  const h = harness(async () => {
    if (!tokenOk) {
      throw new KoppelError({ type: 'ReauthRequired', system: 'nmbrs', code: '1001', message: 'Invalid Authentication', oorzaak: 'Token ongeldig.', oplossing: 'Vul een nieuw token in.' });
    }
    return { result: 'ok', counts: {}, summary: 'ok' };
  });
  await withWorker(h.activities, async () => {
    const wf = await start({ kind: 'interval', everyMinutes: 15 });
    let s = await settle(wf, (v) => v.state === 'WAITING_REAUTH');
    expect(s.blockingReason).toContain('Vul een nieuw token in.');
    expect(s.lastCycle?.error?.code).toBe('1001');
    await ts.env.sleep('1 day');
    expect(h.calls).toHaveLength(1); // no retry storm: one call, then waiting
    expect(await rejection(wf.executeUpdate(syncNowUpdate, { args: [{}] }))).toMatch(/inloggegevens/);
    tokenOk = true;
    await wf.signal(reauthorizedSignal, { credentialsVersion: 2 });
    s = await settle(wf, cycleDone(2));
    expect(h.calls[1].trigger).toBe('reauthorized');
    expect(s.credentialsVersion).toBe(2);
    await stop(wf);
  });
});

test('an unmapped code blocks in BLOCKED_MAPPING, naming the codes, until mappingChanged', async () => {
  let mapped = false;
  const h = harness(async () => {
    if (!mapped) {
      throw new KoppelError({
        type: 'MappingIncomplete', system: 'eboekhouden', message: 'missing', oorzaak: 'Grootboekrekening 4105 ontbreekt.', oplossing: 'Maak 4105 aan.', details: { missingCodes: ['4105'] },
      });
    }
    return { result: 'ok', counts: { posted: 2 }, summary: '2 geboekt' };
  });
  await withWorker(h.activities, async () => {
    const wf = await start({ kind: 'daily', at: '06:00' });
    let s = await settle(wf, (v) => v.state === 'BLOCKED_MAPPING');
    expect(s.missingCodes).toEqual(['4105']);
    await ts.env.sleep('2 days');
    expect(h.calls).toHaveLength(1);
    mapped = true;
    await wf.signal(mappingChangedSignal, { mappingVersion: 3 });
    s = await settle(wf, cycleDone(2));
    expect(s.missingCodes).toBeUndefined();
    expect(h.calls[1].trigger).toBe('mappingChanged');
    await stop(wf);
  });
});

test('a transient failure retries sooner than the daily cadence, then resets', async () => {
  let fail = true;
  const h = harness(async () => {
    if (fail) throw new KoppelError({ type: 'Transient', system: 'nmbrs', message: '503', oorzaak: 'Nmbrs onbereikbaar.', oplossing: 'Geen actie nodig.' });
    return { result: 'ok', counts: {}, summary: 'ok' };
  });
  await withWorker(h.activities, async () => {
    const wf = await start({ kind: 'daily', at: '06:00' });
    let s = await settle(wf, cycleDone(1));
    expect(s.lastCycle?.result).toBe('failed');
    expect(Date.parse(s.nextDueAt!) - Date.parse(s.lastCycle!.at)).toBeLessThanOrEqual(5 * 60_000 + 1_000);
    fail = false;
    await ts.env.sleep('6 minutes');
    s = await settle(wf, cycleDone(2));
    expect(s.lastCycle?.result).toBe('ok');
    await stop(wf);
  });
});

test('continue-as-new keeps state: cycle count, pause and closed periods survive', async () => {
  const h = harness(ok);
  await withWorker(h.activities, async () => {
    const wf = await start({ kind: 'interval', everyMinutes: 15 }, { maxHistoryEvents: 60, closedPeriods: [{ administration: 'EB', year: 2026, period: 1 }] });
    const firstRun = (await wf.describe()).runId;
    await ts.env.sleep('4 hours');
    const s = await settle(wf, (v) => v.cycleNo >= 10);
    const desc = await ts.env.client.workflow.getHandle(wf.workflowId).describe();
    expect(desc.runId).not.toBe(firstRun);
    expect(s.closedPeriods).toEqual([{ administration: 'EB', year: 2026, period: 1 }]);
    const numbers = h.calls.map((c) => c.cycleNo);
    expect(numbers).toEqual(numbers.map((_n, i) => i + 1)); // no gaps, no repeats across runs
    await ts.env.client.workflow.getHandle(wf.workflowId).executeUpdate(pauseUpdate, { args: [{}] });
    await ts.env.sleep('6 hours');
    const after = await ts.env.client.workflow.getHandle(wf.workflowId).query(statusQuery);
    expect(after.paused).toBe(true);
    await stop(ts.env.client.workflow.getHandle(wf.workflowId));
  });
});

/** The poison messages a tenant could send: each must leave the workflow answering and the block intact. */
describe('messages that used to wedge the loop', () => {
  const blockedMapping = () => {
    let mapped = false;
    const h = harness(async () => {
      if (!mapped) {
        throw new KoppelError({ type: 'MappingIncomplete', system: 'eboekhouden', message: 'missing', oorzaak: 'Grootboekrekening 4105 ontbreekt.', oplossing: 'Maak 4105 aan.', details: { missingCodes: ['4105'] } });
      }
      return { result: 'ok', counts: {}, summary: 'ok' };
    });
    return { h, fix: () => void (mapped = true) };
  };

  test('a rename while BLOCKED_MAPPING keeps it blocked and responsive; the mapping fix still runs it', async () => {
    const { h, fix } = blockedMapping();
    await withWorker(h.activities, async () => {
      const wf = await start({ kind: 'daily', at: '06:00' });
      await settle(wf, (v) => v.state === 'BLOCKED_MAPPING');
      // The API sends configChanged with the unchanged cadence for a rename.
      await wf.signal(configChangedSignal, { cadence: { kind: 'daily', at: '06:00' }, version: 2 });
      await wf.signal(configChangedSignal, { cadence: { kind: 'daily', at: '07:00' }, version: 3 });
      await ts.env.sleep('1 day');
      const s = await settle(wf, (v) => v.state === 'BLOCKED_MAPPING');
      expect(s.missingCodes).toEqual(['4105']);
      expect(h.calls).toHaveLength(1);
      fix();
      await wf.signal(mappingChangedSignal, { mappingVersion: 4 });
      const after = await settle(wf, cycleDone(2));
      expect(after.state).toBe('ACTIVE');
      expect(formatLocal(new Date(after.nextDueAt!)).slice(11)).toBe(spreadLocal('07:00', { kind: 'daily', at: '07:00' }, after.koppelingId)); // the new cadence counts
      await stop(wf);
    });
  });

  test('a rename while WAITING_REAUTH keeps it waiting; stop still ends it', async () => {
    const h = harness(async () => {
      throw new KoppelError({ type: 'ReauthRequired', system: 'nmbrs', code: '1001', message: 'bad', oorzaak: 'Token ongeldig.', oplossing: 'Nieuw token.' });
    });
    await withWorker(h.activities, async () => {
      const wf = await start({ kind: 'interval', everyMinutes: 15 });
      await settle(wf, (v) => v.state === 'WAITING_REAUTH');
      for (let v = 2; v < 6; v++) await wf.signal(configChangedSignal, { cadence: { kind: 'interval', everyMinutes: 15 }, version: v });
      await ts.env.sleep('2 hours');
      expect((await settle(wf, (v) => v.state === 'WAITING_REAUTH')).cycleNo).toBe(1);
      expect((await stop(wf)).state).toBe('STOPPED');
    });
  });

  test('a cadence that yields no time blocks in BLOCKED_CONFIG; a valid one heals it; stop works meanwhile', async () => {
    const h = harness(ok);
    await withWorker(h.activities, async () => {
      const wf = await start({ kind: 'interval', everyMinutes: 15 });
      await settle(wf, cycleDone(1));
      // Accepted by the API before it validated cadences by computing them: 10:30 is outside 10:00–10:00.
      await wf.signal(configChangedSignal, { cadence: { kind: 'hourly', from: '10:00', to: '10:00', minute: 30 }, version: 2 });
      let s = await settle(wf, (v) => v.state === 'BLOCKED_CONFIG');
      expect(s.blockingReason).toMatch(/planning/);
      expect(await rejection(wf.executeUpdate(syncNowUpdate, { args: [{}] }))).toMatch(/geldige planning/);
      await wf.signal(configChangedSignal, { cadence: { kind: 'interval', everyMinutes: 30 }, version: 3 });
      await settle(wf, (v) => v.state === 'ACTIVE' && !!v.nextDueAt);
      await ts.env.sleep('31 minutes');
      s = await settle(wf, cycleDone(2));
      expect(s.lastCycle?.result).toBe('ok');
      await wf.signal(configChangedSignal, { cadence: { kind: 'hourly', from: '10:00', to: '10:00', minute: 30 }, version: 4 });
      await settle(wf, (v) => v.state === 'BLOCKED_CONFIG');
      expect((await stop(wf)).state).toBe('STOPPED');
    });
  });

  test('a start right after a stop cancels the stop: the same run goes on, or the start hears that it ended', async () => {
    const h = harness(ok);
    await withWorker(h.activities, async () => {
      const wf = await start({ kind: 'interval', everyMinutes: 15 });
      await settle(wf, cycleDone(1));
      // As the API does it: the stop is accepted first, then the start (startUpdate) follows.
      await wf.executeUpdate(stopUpdate, { args: [] });
      const goesOn = await wf.executeUpdate(startUpdate, { args: [] }).then(
        () => true,
        () => false, // the run ended before the start reached it: the API starts a new one
      );
      if (goesOn) {
        const s = await settle(wf, (v) => v.state === 'ACTIVE');
        expect(s.stopping).toBeUndefined();
        await ts.env.sleep('16 minutes');
        await settle(wf, cycleDone(2));
        await stop(wf);
      } else {
        expect((await wf.describe()).status.name).toBe('COMPLETED');
      }
    });
  });
});

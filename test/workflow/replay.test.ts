/**
 * Determinism guard: committed histories of the koppeling workflow must replay against the current
 * code. A change that would break running koppelingen fails here (patch it with `patched()`).
 * Re-record a fixture on purpose with RECORD_REPLAY_FIXTURES=1 (and say why in the commit).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { KoppelError } from '../../src/domain/errors';
import { KoppelErrorInterceptor } from '../../src/temporal/failures';
import { nextDueAt } from '../../activities/runtime';
import type { Cadence } from '../../src/domain/cadence';
import { MIJNKANTOOR } from '../../src/systems/mijnkantoor/identity';
import { NMBRS } from '../../src/systems/nmbrs/identity';
import type { CycleInput } from '../../workflows/cycle';
import { koppelingWorkflow } from '../../workflows/koppeling';
import { configChangedSignal, mappingChangedSignal, pauseUpdate, reauthorizedSignal, resumeUpdate, statusQuery, stopUpdate, syncNowUpdate, type KoppelingStatusView } from '../../workflows/messages';
import { toolPath } from '../support/tools';

jest.setTimeout(120_000);

type Handle = Awaited<ReturnType<TestWorkflowEnvironment['client']['workflow']['start']>>;

interface Scenario {
  fixture: string;
  koppelingId: string;
  /** The test koppeling's one activity: what each cycle does. */
  testStep: (i: CycleInput) => Promise<unknown>;
  /** Koppeling type (default "test-koppeling", which has no probe); "test-probing" probes with `testProbe`. */
  type?: string;
  testProbe?: () => Promise<unknown>;
  /** A shipped type's cycle: its activities per system task queue (the recorder polls each). */
  queues?: Record<string, Record<string, (...a: never[]) => Promise<unknown>>>;
  cadence?: Cadence;
  /** Drives the workflow; `until` polls its status while time skips. */
  drive: (wf: Handle, env: TestWorkflowEnvironment, until: (f: (s: KoppelingStatusView) => boolean) => Promise<void>) => Promise<void>;
}

/** Record a scenario's full history into its fixture (on the time-skipping server). */
async function record(sc: Scenario): Promise<void> {
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: toolPath('temporal-test-server') } },
  });
  try {
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: 'koppelwerk',
      workflowsPath: require.resolve('../support/workflows'),
      interceptors: { activity: [() => ({ inbound: new KoppelErrorInterceptor() })] },
      activities: { nextDueAt, recordStatus: async () => undefined, testStep: sc.testStep, ...(sc.testProbe ? { testProbe: sc.testProbe } : {}) },
    });
    const extra = await Promise.all(
      Object.entries(sc.queues ?? {}).map(([taskQueue, activities]) => Worker.create({ connection: env.nativeConnection, taskQueue, activities })),
    );
    const all = extra.reduceRight<(fn: () => Promise<unknown>) => Promise<unknown>>((inner, w) => (fn) => w.runUntil(inner(fn)), (fn) => fn());
    const history = await worker.runUntil(async () => all(async () => {
      const wf = await env.client.workflow.start(koppelingWorkflow, {
        workflowId: `koppeling/replay/${sc.koppelingId}`,
        taskQueue: 'koppelwerk',
        args: [{ tenantId: 'replay', koppelingId: sc.koppelingId, type: sc.type ?? 'test-koppeling', cadence: sc.cadence ?? { kind: 'daily', at: '06:00' } }],
      });
      const until = async (f: (s: KoppelingStatusView) => boolean) => {
        for (let i = 0; i < 100 && !f(await wf.query(statusQuery)); i++) await env.sleep('1s');
      };
      await sc.drive(wf, env, until);
      await wf.executeUpdate(stopUpdate, { args: [] });
      await wf.result();
      return wf.fetchHistory();
    })) as Awaited<ReturnType<Handle['fetchHistory']>>;
    writeFileSync(sc.fixture, JSON.stringify(JSON.parse(historyToJSON(history)), null, 1));
  } finally {
    await env.teardown();
  }
}

let calls = 0;
/** Daily cycles, an auth error, reauthorized, pause/resume, syncNow. */
const LIFECYCLE: Scenario = {
  fixture: join(__dirname, '..', 'fixtures', 'koppeling-history.json'),
  koppelingId: 'k1',
  testStep: async (i) => {
    calls++;
    if (calls === 2) {
      throw new KoppelError({ type: 'ReauthRequired', system: 'nmbrs', code: '1001', message: 'bad', oorzaak: 'Token ongeldig.', oplossing: 'Nieuw token.' });
    }
    return { result: 'ok', counts: { items: i.cycleNo }, summary: `${i.cycleNo} items` };
  },
  drive: async (wf, env, until) => {
    await until((s) => s.lastCycle?.cycleNo === 1);
    await env.sleep('1 day');
    await until((s) => s.state === 'WAITING_REAUTH');
    await wf.signal(reauthorizedSignal, { credentialsVersion: 2 });
    await until((s) => s.lastCycle?.cycleNo === 3);
    await wf.executeUpdate(pauseUpdate, { args: [{ reason: 'replay' }] });
    await wf.executeUpdate(resumeUpdate, { args: [] });
    await wf.executeUpdate(syncNowUpdate, { args: [{}] });
    await until((s) => s.lastCycle?.cycleNo === 4 && s.state === 'ACTIVE');
  },
};

let mapped = false;
/** Blocked on a mapping, renamed (configChanged) twice, still answering, then unblocked: the sequence that once wedged the loop. */
const RENAME_WHILE_BLOCKED: Scenario = {
  fixture: join(__dirname, '..', 'fixtures', 'koppeling-history-rename-blocked.json'),
  koppelingId: 'k2',
  testStep: async () => {
    if (!mapped) {
      throw new KoppelError({ type: 'MappingIncomplete', system: 'eboekhouden', message: 'missing', oorzaak: 'Grootboekrekening 4105 ontbreekt.', oplossing: 'Maak 4105 aan.', details: { missingCodes: ['4105'] } });
    }
    return { result: 'ok', counts: {}, summary: 'ok' };
  },
  drive: async (wf, env, until) => {
    await until((s) => s.state === 'BLOCKED_MAPPING');
    await wf.signal(configChangedSignal, { cadence: { kind: 'daily', at: '06:00' }, version: 2 });
    await wf.signal(configChangedSignal, { cadence: { kind: 'daily', at: '07:00' }, version: 3 });
    await env.sleep('1 day');
    await until((s) => s.state === 'BLOCKED_MAPPING');
    mapped = true;
    await wf.signal(mappingChangedSignal, { mappingVersion: 4 });
    await until((s) => s.lastCycle?.cycleNo === 2 && s.state === 'ACTIVE');
  },
};

let source = 'v1';
/** The idle probe (patch `idle-probe`): idle days, a change picked up by the next tick, syncNow, a new mapping. */
const IDLE_PROBE: Scenario = {
  fixture: join(__dirname, '..', 'fixtures', 'koppeling-history-idle-probe.json'),
  koppelingId: 'k3',
  type: 'test-probing',
  testProbe: async () => ({ fingerprint: source }),
  testStep: async (i) => ({ result: 'ok', counts: { items: i.cycleNo }, summary: `${i.cycleNo} items` }),
  drive: async (wf, env, until) => {
    await until((s) => s.lastCycle?.cycleNo === 1 && s.state === 'ACTIVE');
    await env.sleep('3 days');
    await until((s) => (s.idleChecks ?? 0) >= 3);
    source = 'v2';
    await env.sleep('1 day');
    await until((s) => s.lastCycle?.cycleNo === 2 && s.state === 'ACTIVE');
    await env.sleep('1 day');
    await until((s) => (s.idleChecks ?? 0) >= 1);
    await wf.executeUpdate(syncNowUpdate, { args: [{}] });
    await until((s) => s.lastCycle?.cycleNo === 3 && s.state === 'ACTIVE');
    await wf.signal(mappingChangedSignal, { mappingVersion: 5 });
    await env.sleep('1 day');
    await until((s) => s.lastCycle?.cycleNo === 4 && s.state === 'ACTIVE');
  },
};

/**
 * Shipped types that got their probe later (each behind its own patch, `idle-probe-<type>`): these
 * histories were recorded before, when every tick of theirs ran the full cycle, as the workflows of
 * such koppelingen that are running now did. Their cycles' activities only say "nothing to do".
 */
const PRE_PROBE_DRIVE: Scenario['drive'] = async (wf, env, until) => {
  await until((s) => s.lastCycle?.cycleNo === 1 && s.state === 'ACTIVE');
  await env.sleep('3 days');
  await until((s) => (s.lastCycle?.cycleNo ?? 0) >= 4 && s.state === 'ACTIVE');
  await wf.executeUpdate(syncNowUpdate, { args: [{}] });
  await until((s) => s.lastCycle?.cycleNo === 5 && s.state === 'ACTIVE');
  await wf.signal(mappingChangedSignal, { mappingVersion: 5 });
  await env.sleep('1 day');
  await until((s) => s.lastCycle?.cycleNo === 6 && s.state === 'ACTIVE');
};
const EACCOUNTING_BEFORE_PROBE: Scenario = {
  fixture: join(__dirname, '..', 'fixtures', 'koppeling-history-nmbrs-eaccounting-before-probe.json'),
  koppelingId: 'k4',
  type: 'nmbrs-eaccounting',
  testStep: async () => undefined,
  // No run to send: the eAccounting queue gets no task.
  queues: {
    [NMBRS.taskQueue]: { nmbrsEaScanRuns: async () => ({ active: true, runsSeen: 0, notLocked: 0, unchanged: 0, lockedBefore: 0, waitingForManualSend: 0, work: [] }) },
  },
  drive: PRE_PROBE_DRIVE,
};
const MIJNKANTOOR_BEFORE_PROBE: Scenario = {
  fixture: join(__dirname, '..', 'fixtures', 'koppeling-history-nmbrs-mijnkantoor-before-probe.json'),
  koppelingId: 'k5',
  type: 'nmbrs-mijnkantoor',
  // Daily here too: the hourly window only adds more of the same ticks.
  testStep: async () => undefined,
  queues: {
    [NMBRS.taskQueue]: { nmkScan: async () => ({ companies: 0, matched: 0, work: [], unchanged: 0, waiting: 0, waitingReasons: [], conflicts: [] }) },
    [MIJNKANTOOR.taskQueue]: {
      nmkRelations: async () => ({ created: 0, updated: 0, unchanged: 0, contacts: 0, conflicts: [] }),
      nmkFile: async () => ({ status: 'unchanged', name: '' }),
      nmkReport: async () => undefined,
    },
  },
  drive: PRE_PROBE_DRIVE,
};

let eaSource = 'v1';
/** The same type with its probe (patch `idle-probe-nmbrs-eaccounting`): idle hours, then a change. */
const EACCOUNTING_WITH_PROBE: Scenario = {
  fixture: join(__dirname, '..', 'fixtures', 'koppeling-history-nmbrs-eaccounting-idle-probe.json'),
  koppelingId: 'k6',
  type: 'nmbrs-eaccounting',
  testStep: async () => undefined,
  queues: {
    [NMBRS.taskQueue]: {
      nmbrsEaProbe: async () => ({ fingerprint: eaSource }),
      nmbrsEaScanRuns: async () => ({ active: true, runsSeen: 0, notLocked: 0, unchanged: 0, lockedBefore: 0, waitingForManualSend: 0, work: [] }),
    },
  },
  drive: async (wf, env, until) => {
    await until((s) => s.lastCycle?.cycleNo === 1 && s.state === 'ACTIVE');
    await env.sleep('3 days');
    await until((s) => (s.idleChecks ?? 0) >= 3);
    eaSource = 'v2';
    await env.sleep('1 day');
    await until((s) => s.lastCycle?.cycleNo === 2 && s.state === 'ACTIVE');
  },
};

/** Replay a scenario's committed history (recording it first when asked to, or when it is missing). */
async function replay(sc: Scenario) {
  if (process.env.RECORD_REPLAY_FIXTURES === '1' || !existsSync(sc.fixture)) await record(sc);
  const history = JSON.parse(readFileSync(sc.fixture, 'utf8'));
  const bundle = await bundleWorkflowCode({ workflowsPath: require.resolve('../support/workflows'), logger: new DefaultLogger('ERROR') });
  await expect(Worker.runReplayHistory({ workflowBundle: bundle }, history, `koppeling/replay/${sc.koppelingId}`)).resolves.toBeUndefined();
  return history as { events: Array<{ workflowExecutionSignaledEventAttributes?: { signalName: string } }> };
}

beforeAll(() => {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
});

test('committed koppeling history replays against the current workflow code', async () => {
  await replay(LIFECYCLE);
});

test('a history with a rename while blocked replays (it once wedged the loop)', async () => {
  const history = await replay(RENAME_WHILE_BLOCKED);
  // The history holds the sequence itself: two configChanged signals while blocked, then the fix.
  const signals = history.events.map((e) => e.workflowExecutionSignaledEventAttributes?.signalName).filter(Boolean);
  expect(signals).toEqual(['configChanged', 'configChanged', 'mappingChanged']);
});

test('a history with idle due ticks (the idle-probe patch) replays', async () => {
  const history = await replay(IDLE_PROBE);
  const types = history.events.map((e) => (e as { activityTaskScheduledEventAttributes?: { activityType?: { name?: string } } }).activityTaskScheduledEventAttributes?.activityType?.name).filter(Boolean);
  // Probes on every tick, and cycles (child workflows) only where something changed or was asked for.
  expect(types.filter((t) => t === 'testProbe').length).toBeGreaterThanOrEqual(8);
  expect(history.events.filter((e) => (e as { startChildWorkflowExecutionInitiatedEventAttributes?: unknown }).startChildWorkflowExecutionInitiatedEventAttributes)).toHaveLength(4);
});

test.each([EACCOUNTING_BEFORE_PROBE, MIJNKANTOOR_BEFORE_PROBE])('a $type history from before its probe replays: its ticks keep running the full cycle', async (sc) => {
  const history = await replay(sc);
  const types = history.events.map((e) => (e as { activityTaskScheduledEventAttributes?: { activityType?: { name?: string } } }).activityTaskScheduledEventAttributes?.activityType?.name).filter(Boolean);
  expect(types.some((t) => /Probe$/.test(String(t)))).toBe(false);
  // A cycle (child workflow) on every due tick, syncNow and the new mapping.
  expect(history.events.filter((e) => (e as { startChildWorkflowExecutionInitiatedEventAttributes?: unknown }).startChildWorkflowExecutionInitiatedEventAttributes)).toHaveLength(6);
});

test('a nmbrs-eaccounting history with its own probe patch replays', async () => {
  const history = await replay(EACCOUNTING_WITH_PROBE);
  const types = history.events.map((e) => (e as { activityTaskScheduledEventAttributes?: { activityType?: { name?: string } } }).activityTaskScheduledEventAttributes?.activityType?.name).filter(Boolean);
  expect(types.filter((t) => t === 'nmbrsEaProbe').length).toBeGreaterThanOrEqual(5);
  expect(history.events.filter((e) => (e as { startChildWorkflowExecutionInitiatedEventAttributes?: unknown }).startChildWorkflowExecutionInitiatedEventAttributes)).toHaveLength(2);
  expect(JSON.stringify(history.events)).toContain(Buffer.from(JSON.stringify('idle-probe-nmbrs-eaccounting')).toString('base64'));
});

test('the production workflow bundle builds and rejects Node built-ins', async () => {
  const bundle = await bundleWorkflowCode({ workflowsPath: require.resolve('../../workflows'), logger: new DefaultLogger('ERROR') });
  expect(bundle.code).toContain('koppelingWorkflow');
  // The guard works: a workflow module importing node:fs does not bundle.
  await expect(
    bundleWorkflowCode({ workflowsPath: join(__dirname, '..', 'support', 'bad-workflow.ts'), logger: new DefaultLogger('ERROR') }),
  ).rejects.toThrow();
});

/**
 * Shared set-up of the time-skipping workflow tests: one test server and one workflow bundle per
 * file, the real data converter (codec + encoded failures), workers with the KoppelError interceptor
 * on the queues a test needs, and clean-up of every workflow a test started — a workflow left
 * running without a worker holds pending tasks, and the test server does not skip time then.
 */
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, DefaultLogger, Runtime, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { newKeyB64 } from '../../src/domain/crypto';
import { codecFromConfig, dataConverterFor } from '../../src/temporal/data-converter';
import { KoppelErrorInterceptor } from '../../src/temporal/failures';
import { TASK_QUEUES } from '../../src/temporal/task-queues';
import { toolPath } from './tools';

export interface TimeSkipping {
  readonly env: TestWorkflowEnvironment;
  readonly bundle: WorkflowBundleWithSourceMap;
  readonly dataConverter: ReturnType<typeof dataConverterFor>;
  /** Remember a workflow id for clean-up after the test. */
  track(workflowId: string): string;
  /** Run `fn` with workers on the workflow queue and on each extra activity queue. */
  withWorkers<T>(activities: object, fn: () => Promise<T>, queues?: Array<keyof typeof TASK_QUEUES>): Promise<T>;
}

/** Registers the jest hooks; call at the top of a test file. */
export function useTimeSkipping(workflowsPath: string): TimeSkipping {
  let env: TestWorkflowEnvironment;
  let bundle: WorkflowBundleWithSourceMap;
  const started: string[] = [];
  const dataConverter = dataConverterFor(codecFromConfig({ KOPPELWERK_CODEC_KEY: newKeyB64(), KOPPELWERK_CODEC_KEY_ID: 't1', KOPPELWERK_CODEC_OLD_KEYS: {} }));

  beforeAll(async () => {
    Runtime.install({ logger: new DefaultLogger('ERROR') });
    env = await TestWorkflowEnvironment.createTimeSkipping({
      server: { executable: { type: 'existing-path', path: toolPath('temporal-test-server') } },
      client: { dataConverter },
    });
    bundle = await bundleWorkflowCode({ workflowsPath, failureConverterPath: dataConverter.failureConverterPath, logger: new DefaultLogger('ERROR') });
  });
  afterEach(async () => {
    for (const id of started.splice(0)) await env.client.workflow.getHandle(id).terminate('test over').catch(() => undefined);
  });
  afterAll(async () => {
    await env?.teardown();
  });

  return {
    get env() {
      return env;
    },
    get bundle() {
      return bundle;
    },
    dataConverter,
    track(workflowId) {
      started.push(workflowId);
      return workflowId;
    },
    async withWorkers<T>(activities: object, fn: () => Promise<T>, queues: Array<keyof typeof TASK_QUEUES> = []): Promise<T> {
      const common = { connection: env.nativeConnection, activities, dataConverter, interceptors: { activity: [() => ({ inbound: new KoppelErrorInterceptor() })] } };
      const workers = [
        await Worker.create({ ...common, taskQueue: TASK_QUEUES.workflows, workflowBundle: bundle }),
        ...(await Promise.all(queues.map((q) => Worker.create({ ...common, taskQueue: TASK_QUEUES[q] })))),
      ];
      // Nest runUntil so every worker shuts down when fn settles.
      const run = workers.reduceRight<() => Promise<T>>((inner, w) => () => w.runUntil(inner()), fn);
      return run();
    },
  };
}

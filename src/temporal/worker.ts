/**
 * Worker bootstrap: one worker for workflows and store activities, one per external system's
 * activity queue (from the registry, src/systems). Each system queue gets that system's rate
 * budget: a server-side limit for the queue across all workers, and a per-process concurrency.
 * Stateless: run as many worker processes as needed, they share the queues.
 */
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import type { Config } from '../config';
import { codecFromConfig, dataConverterFor } from './data-converter';
import { BackoffBook } from '../domain/backoff';
import { CredentialBackoffInterceptor } from './backoff';
import { installTemporalRuntime } from '../platform/temporal-log';
import { KoppelErrorInterceptor } from './failures';
import { SYSTEMS, type SystemId } from '../systems';
import { activitiesPerSecond } from '../systems/system';
import { WORKFLOW_TASK_QUEUE } from './task-queues';

export interface WorkerSetup {
  config: Pick<Config, 'TEMPORAL_ADDRESS' | 'TEMPORAL_NAMESPACE' | 'KOPPELWERK_CODEC_KEY' | 'KOPPELWERK_CODEC_KEY_ID' | 'KOPPELWERK_CODEC_OLD_KEYS' | 'WORKER_MAX_CACHED_WORKFLOWS' | 'WORKER_SHUTDOWN_GRACE'>;
  activities: object;
  /** Either a path to the workflows module (dev, tests) or a prebuilt bundle (production). */
  workflowsPath?: string;
  workflowBundle?: WorkerOptions['workflowBundle'];
  connection?: NativeConnection;
  /** Per external system: overrides its registry rate budget's activities per second (benchmarks, tests). */
  activitiesPerSecond?: Partial<Record<SystemId, number>>;
}

export interface Workers {
  workers: Worker[];
  connection: NativeConnection;
  run(): Promise<void>;
  shutdown(): void;
}

export async function createWorkers(setup: WorkerSetup): Promise<Workers> {
  installTemporalRuntime(); // Temporal's logs as our JSON lines (no-op if the process installed one)
  const connection = setup.connection ?? (await NativeConnection.connect({ address: setup.config.TEMPORAL_ADDRESS }));
  const dataConverter = dataConverterFor(codecFromConfig(setup.config));
  const backoff = new BackoffBook(); // one per process: shared by every queue's worker
  const common = {
    connection,
    namespace: setup.config.TEMPORAL_NAMESPACE,
    dataConverter,
    activities: setup.activities,
    // Outer first: the back-off's own RateLimited error is turned into an ApplicationFailure too.
    interceptors: { activity: [() => ({ inbound: new KoppelErrorInterceptor() }), () => ({ inbound: new CredentialBackoffInterceptor(backoff) })] },
    // In-flight activities get time to finish (and write the ledger) on a clean shutdown.
    shutdownGraceTime: setup.config.WORKER_SHUTDOWN_GRACE as WorkerOptions['shutdownGraceTime'],
    shutdownForceTime: '60s' as const,
  };
  const workers: Worker[] = [
    await Worker.create({
      ...common,
      taskQueue: WORKFLOW_TASK_QUEUE,
      workflowsPath: setup.workflowsPath,
      workflowBundle: setup.workflowBundle,
      maxCachedWorkflows: setup.config.WORKER_MAX_CACHED_WORKFLOWS,
    }),
  ];
  for (const system of SYSTEMS) {
    const perSecond = setup.activitiesPerSecond?.[system.id] ?? activitiesPerSecond(system.rateBudget);
    workers.push(
      await Worker.create({
        ...common,
        taskQueue: system.taskQueue,
        maxConcurrentActivityTaskExecutions: system.rateBudget.concurrency,
        // Server-side: the queue's dispatch rate over every worker process, not per worker.
        ...(perSecond ? { maxTaskQueueActivitiesPerSecond: perSecond } : {}),
      }),
    );
  }
  return {
    workers,
    connection,
    run: async () => {
      await Promise.all(workers.map((w) => w.run()));
    },
    shutdown: () => workers.forEach((w) => w.getState() === 'RUNNING' && w.shutdown()),
  };
}

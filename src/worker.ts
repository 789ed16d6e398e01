/**
 * The worker process: `node dist/src/worker.js`. Stateless; run as many as the load needs.
 * SIGINT/SIGTERM shut it down gracefully (in-flight activities get WORKER_SHUTDOWN_GRACE).
 * Started by `npm start` (src/dev/worker-process.ts) it has an IPC channel: it reports when it
 * polls, and exits when the channel closes, i.e. when `npm start` is gone.
 */
import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';
import { createActivities } from '../activities';
import { loadConfig } from './config';
import { openDeps } from './runtime';
import { createWorkers } from './temporal/worker';

export async function runWorker(): Promise<void> {
  const config = loadConfig();
  // The SDK logs at LOG_LEVEL (`npm start` passes warn: the bundler's INFO lines are noise there).
  Runtime.install({ logger: new DefaultLogger(config.LOG_LEVEL.toUpperCase() as LogLevel) });
  const deps = await openDeps(config);
  const workers = await createWorkers({
    config,
    activities: createActivities(deps),
    workflowsPath: require.resolve('../workflows'),
  });
  console.log(`[worker] polling ${workers.workers.length} task queues on ${config.TEMPORAL_ADDRESS}`);
  process.send?.({ type: 'ready', taskQueues: workers.workers.length });
  try {
    await workers.run();
  } finally {
    await workers.connection.close();
    await deps.store.close();
    console.log('[worker] stopped');
  }
}

if (require.main === module) {
  if (process.channel) {
    // The channel must not keep a stopped worker alive; its closing means the parent is gone.
    process.channel.unref();
    process.once('disconnect', () => {
      console.error('[worker] parent process gone: exiting');
      process.exit(1);
    });
  }
  runWorker().catch((err) => {
    console.error(`[worker] ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}

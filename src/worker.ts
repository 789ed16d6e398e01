/**
 * The worker process: `node dist/src/worker.js`. Stateless; run as many as the load needs.
 * SIGINT/SIGTERM shut it down gracefully (in-flight activities get WORKER_SHUTDOWN_GRACE).
 * Started by `npm start` (src/dev/worker-process.ts) it has an IPC channel: it reports when it
 * polls, and exits when the channel closes, i.e. when `npm start` is gone.
 */
import { readFileSync } from 'node:fs';
import { createActivities } from '../activities';
import { loadConfig } from './config';
import { configureLogging, logger } from './platform/log';
import { openDeps } from './runtime';
import { createWorkers } from './temporal/worker';

export async function runWorker(): Promise<void> {
  const config = loadConfig();
  configureLogging(config);
  const deps = await openDeps(config);
  const workers = await createWorkers({
    config,
    activities: createActivities(deps),
    // A prebuilt bundle skips bundling the workflow code at every start; the same code either way.
    ...(config.WORKER_WORKFLOW_BUNDLE ? { workflowBundle: { code: readFileSync(config.WORKER_WORKFLOW_BUNDLE, 'utf8') } } : { workflowsPath: require.resolve('../workflows') }),
  });
  logger().info({ component: 'worker', taskQueues: workers.workers.length, temporalAddress: config.TEMPORAL_ADDRESS }, 'worker polling');
  process.send?.({ type: 'ready', taskQueues: workers.workers.length });
  try {
    await workers.run();
  } finally {
    await workers.connection.close();
    await deps.store.close();
    logger().info({ component: 'worker' }, 'worker stopped');
  }
}

if (require.main === module) {
  if (process.channel) {
    // The channel must not keep a stopped worker alive; its closing means the parent is gone.
    process.channel.unref();
    process.once('disconnect', () => {
      logger().error({ component: 'worker' }, 'parent process gone: exiting');
      process.exit(1);
    });
  }
  runWorker().catch((err) => {
    logger().error({ component: 'worker', err }, 'worker failed');
    process.exit(1);
  });
}

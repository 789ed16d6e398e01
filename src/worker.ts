/**
 * The worker process: `node dist/src/worker.js`. Stateless; run as many as the load needs.
 * SIGINT/SIGTERM shut it down gracefully (in-flight activities get WORKER_SHUTDOWN_GRACE).
 */
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
    workflowsPath: require.resolve('../workflows'),
  });
  logger().info({ component: 'worker', taskQueues: workers.workers.length, temporalAddress: config.TEMPORAL_ADDRESS }, 'worker polling');
  try {
    await workers.run();
  } finally {
    await workers.connection.close();
    await deps.store.close();
    logger().info({ component: 'worker' }, 'worker stopped');
  }
}

if (require.main === module) {
  runWorker().catch((err) => {
    logger().error({ component: 'worker', err }, 'worker failed');
    process.exit(1);
  });
}

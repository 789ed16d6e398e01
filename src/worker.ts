/**
 * The worker process: `node dist/src/worker.js`. Stateless; run as many as the load needs.
 * SIGINT/SIGTERM shut it down gracefully (in-flight activities get WORKER_SHUTDOWN_GRACE).
 */
import { createActivities } from '../activities';
import { loadConfig } from './config';
import { openDeps } from './runtime';
import { createWorkers } from './temporal/worker';

export async function runWorker(): Promise<void> {
  const config = loadConfig();
  const deps = await openDeps(config);
  const workers = await createWorkers({
    config,
    activities: createActivities(deps),
    workflowsPath: require.resolve('../workflows'),
  });
  console.log(`[worker] polling ${workers.workers.length} task queues on ${config.TEMPORAL_ADDRESS}`);
  try {
    await workers.run();
  } finally {
    await workers.connection.close();
    await deps.store.close();
    console.log('[worker] stopped');
  }
}

if (require.main === module) {
  runWorker().catch((err) => {
    console.error(`[worker] ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}

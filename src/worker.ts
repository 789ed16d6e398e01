/**
 * The worker process: `node dist/src/worker.js`. Stateless; run as many as the load needs.
 * SIGINT/SIGTERM shut it down gracefully (in-flight activities get WORKER_SHUTDOWN_GRACE).
 * Started by `npm start` (src/dev/worker-process.ts) it has an IPC channel: it reports when it
 * polls, and exits when the channel closes, i.e. when `npm start` is gone.
 */
import { createActivities } from '../activities';
import { loadConfig } from './config';
import { configureLogging, logger } from './platform/log';
import { drainNotifications } from './platform/notify';
import { openDeps } from './runtime';
import { workflowCode } from './temporal/bundle';
import { createWorkers } from './temporal/worker';

export async function runWorker(): Promise<void> {
  // Start-up phases in ms since the process began (the kill soak restarts it a thousand times).
  const modulesMs = Math.round(process.uptime() * 1000);
  const config = loadConfig();
  configureLogging(config);
  const deps = await openDeps(config);
  const depsMs = Math.round(process.uptime() * 1000);
  const workers = await createWorkers({
    config,
    activities: createActivities(deps),
    // A prebuilt bundle (npm run build) skips webpack at every start; the same code either way.
    ...workflowCode(config.WORKER_WORKFLOW_BUNDLE),
  });
  // Workers poll only from run(): a spare may connect and create them before it is needed.
  if (process.env.KOPPELWERK_WORKER_STANDBY === '1') await standBy();
  const goMs = Math.round(process.uptime() * 1000);
  const startup = { modulesMs, depsMs, goMs, readyMs: Math.round(process.uptime() * 1000) };
  logger().info({ component: 'worker', taskQueues: workers.workers.length, temporalAddress: config.TEMPORAL_ADDRESS, startup }, 'worker polling');
  process.send?.({ type: 'ready', taskQueues: workers.workers.length, startup });
  try {
    await workers.run();
  } finally {
    // First webhook attempts still on their way (at most 10 s each); the API's dispatcher retries the rest.
    await drainNotifications();
    await workers.connection.close();
    await deps.store.close();
    logger().info({ component: 'worker' }, 'worker stopped');
  }
}

/**
 * A spare started by the supervisor (src/dev/worker-process.ts, `standby`): modules loaded, store
 * and Temporal connected, workers created, it waits for "go" before the workers run (poll), so it
 * takes over from a dead worker without the start-up time. Nothing is polled or written before "go".
 */
async function standBy(): Promise<void> {
  if (!process.send) return;
  process.channel?.ref(); // keep waiting even if nothing else holds the process open
  await new Promise<void>((resolve) => {
    const onMessage = (m: { type?: string }) => {
      if (m?.type !== 'go') return;
      process.off('message', onMessage);
      resolve();
    };
    process.on('message', onMessage);
    process.send!({ type: 'standby' });
  });
  process.channel?.unref();
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

/** The admin API process: `node dist/src/server.js`. */
import type { Server } from 'node:http';
import { createApp } from './api/app';
import { loadConfig, type Config } from './config';
import { configureLogging, logger } from './platform/log';
import { apiContext, openDeps } from './runtime';
import { publicUrl } from './oauth/public-url';
import { startReconciler } from './services/reconciler';
import { connectTemporal, ensureSearchAttributes } from './temporal/client';
import { startNotificationDispatcher } from './platform/notify';

export interface RunningApi {
  server: Server;
  url: string;
  close(): Promise<void>;
}

export async function startApi(config: Config = loadConfig()): Promise<RunningApi & { ctx: ReturnType<typeof apiContext> }> {
  configureLogging(config);
  const deps = await openDeps(config);
  const temporal = await connectTemporal(config);
  await ensureSearchAttributes(temporal.connection, config.TEMPORAL_NAMESPACE);
  const ctx = apiContext(deps, temporal.client);
  // Credentials stored per koppeling before connections existed move into connections (idempotent).
  await deps.credentials.migrate();
  await deps.koppelingen.migrateStatus();
  await ctx.service.reconcile();
  const reconciler = startReconciler(ctx.service, {
    parkRefused: (since) => ctx.connections?.parkRefused(since, publicUrl(config)) ?? Promise.resolve(0),
    onRepair: (r) => logger().warn({ component: 'reconciler', ...r }, 'koppeling workflows repaired to match MongoDB'),
    onError: (err) => logger().warn({ component: 'reconciler', err }, 'reconcile failed; the next pass tries again'),
  });
  // Retries of tenant webhooks (the first attempt is sent where the event happened).
  const dispatcher = startNotificationDispatcher(deps);
  const app = createApp(ctx);
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(config.PORT, config.HOST, () => resolve(s));
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  return {
    server,
    ctx,
    url: `http://${config.HOST === '0.0.0.0' ? 'localhost' : config.HOST}:${port}`,
    close: async () => {
      await reconciler.stop();
      await dispatcher.stop();
      await new Promise<void>((r) => server.close(() => r()));
      server.closeAllConnections();
      await temporal.connection.close();
      await deps.store.close();
    },
  };
}

if (require.main === module) {
  startApi()
    .then((api) => {
      logger().info({ component: 'api', url: api.url }, 'api listening');
      const stop = () => void api.close().then(() => process.exit(0));
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    })
    .catch((err) => {
      logger().error({ component: 'api', err }, 'api failed to start');
      process.exit(1);
    });
}

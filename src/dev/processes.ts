/**
 * Child processes of the embedded stack (FerretDB, the Temporal dev server, a worker): started,
 * awaited until they accept connections, and stopped with SIGTERM (SIGKILL after a grace period).
 * Used by `npm start` and by the integration tests, so both run the same real servers.
 * They die with the process that started them (SIGTERM, so their SQLite files are closed cleanly),
 * even when it is SIGKILLed: see die-with-parent.ts.
 */
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { join } from 'node:path';
import { REPO_ROOT } from '../repo-root';
import { ALL_SEARCH_ATTRIBUTES } from '../temporal/search-attributes';
import { spawnDyingWithParent } from './die-with-parent';

export function toolBinary(name: 'temporal' | 'temporal-test-server' | 'ferretdb'): string {
  const envName = { temporal: 'TEMPORAL_CLI_PATH', 'temporal-test-server': 'TEMPORAL_TEST_SERVER_PATH', ferretdb: 'FERRETDB_PATH' }[name];
  const p = process.env[envName] ?? join(REPO_ROOT, '.tools', 'bin', name);
  if (!existsSync(p)) throw new Error(`${p} is missing: run scripts/setup (npm start and npm test do this first).`);
  return p;
}

export async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => res(port));
    });
  });
}

export async function waitForPort(port: number, timeoutMs: number, host = '127.0.0.1'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((r) => {
      const sock = connect(port, host);
      sock.once('connect', () => (sock.destroy(), r(true)));
      sock.once('error', () => r(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on ${host}:${port} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export interface Managed {
  name: string;
  child: ChildProcess;
  stop(graceMs?: number): Promise<void>;
}

export function manage(name: string, child: ChildProcess): Managed {
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  return {
    name,
    child,
    async stop(graceMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

function pipeOutput(name: string, child: ChildProcess, quiet: boolean): void {
  if (quiet) {
    child.stdout?.resume();
    child.stderr?.resume();
    return;
  }
  const prefix = (chunk: Buffer) =>
    chunk
      .toString()
      .split('\n')
      .filter(Boolean)
      .map((l) => `[${name}] ${l}\n`)
      .join('');
  child.stdout?.on('data', (c: Buffer) => process.stdout.write(prefix(c)));
  child.stderr?.on('data', (c: Buffer) => process.stderr.write(prefix(c)));
}

/** FerretDB on SQLite files in `dir`, or on the PostgreSQL at `postgresqlUrl` (see postgres.ts). */
export async function startFerretDB(opts: { port: number; dir: string; postgresqlUrl?: string; quiet?: boolean }): Promise<Managed & { uri: string }> {
  mkdirSync(opts.dir, { recursive: true });
  const args = ['-listen', `127.0.0.1:${opts.port}`, '-dir', opts.dir, ...(opts.postgresqlUrl ? ['-postgresql-url', opts.postgresqlUrl] : [])];
  const child = spawnDyingWithParent(toolBinary('ferretdb'), args, { stdio: ['ignore', 'pipe', 'pipe'] }, 'SIGTERM');
  pipeOutput('ferretdb', child, opts.quiet ?? false);
  await Promise.race([waitForPort(opts.port, 20_000), exitedEarly('ferretdb', child)]);
  return { ...manage('ferretdb', child), uri: `mongodb://127.0.0.1:${opts.port}/` };
}

export async function startTemporalDev(opts: {
  port: number;
  uiPort?: number;
  dbFile?: string;
  codecEndpoint?: string;
  quiet?: boolean;
}): Promise<Managed & { address: string }> {
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(opts.port), '--log-level', 'error'];
  if (opts.uiPort) args.push('--ui-port', String(opts.uiPort));
  else args.push('--headless');
  if (opts.dbFile) args.push('--db-filename', opts.dbFile);
  if (opts.codecEndpoint) args.push('--ui-codec-endpoint', opts.codecEndpoint);
  for (const key of ALL_SEARCH_ATTRIBUTES) args.push('--search-attribute', `${key.name}=${key.type === 'DATETIME' ? 'Datetime' : 'Keyword'}`);
  const child = spawnDyingWithParent(toolBinary('temporal'), args, { stdio: ['ignore', 'pipe', 'pipe'] }, 'SIGTERM');
  pipeOutput('temporal', child, opts.quiet ?? false);
  await Promise.race([waitForPort(opts.port, 60_000), exitedEarly('temporal', child)]);
  return { ...manage('temporal', child), address: `127.0.0.1:${opts.port}` };
}

function exitedEarly(name: string, child: ChildProcess): Promise<never> {
  return new Promise((_r, reject) =>
    child.once('exit', (code, signal) => reject(new Error(`${name} exited during start-up (code ${code}, signal ${signal})`))),
  );
}

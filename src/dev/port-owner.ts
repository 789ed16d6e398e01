/**
 * Before the embedded stack binds its fixed ports: is each one free, and if not, which process
 * holds it? A stale FerretDB from a crashed run would otherwise be talked to as if it were ours
 * (the port answers), while the new one exits with "address in use".
 */
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { createServer } from 'node:net';

export interface PortOwner {
  pid: number;
  command: string;
}

export interface WantedPort {
  port: number;
  /** What it is for and how to change it, e.g. "FerretDB, FERRETDB_PORT". */
  what: string;
}

export class PortsInUseError extends Error {
  constructor(readonly busy: Array<WantedPort & { owners: PortOwner[] }>) {
    super(
      [
        `Cannot start: ${busy.length === 1 ? 'a port is' : 'ports are'} already in use.`,
        ...busy.map((b) => {
          const who = b.owners.length
            ? b.owners.map((o) => `pid ${o.pid} (${o.command})`).join(', ')
            : 'a process this user cannot see';
          return `  - port ${b.port} (${b.what}) is held by ${who}`;
        }),
        'Probably left over from an earlier run: stop it (kill <pid>), or choose other ports with the variables named above.',
      ].join('\n'),
    );
    this.name = 'PortsInUseError';
  }
}

export function portIsFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen({ port, host, exclusive: true }, () => s.close(() => resolve(true)));
  });
}

/** Processes listening on a TCP port, from /proc (Linux; empty elsewhere or when not visible). */
export function portOwners(port: number): PortOwner[] {
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      // f[1] local address "0100007F:1F90", f[3] state (0A = LISTEN), f[9] socket inode.
      if (f.length > 9 && f[3] === '0A' && parseInt(f[1].split(':')[1], 16) === port) inodes.add(`socket:[${f[9]}]`);
    }
  }
  if (inodes.size === 0) return [];
  const owners: PortOwner[] = [];
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    const holds = fds.some((fd) => {
      try {
        return inodes.has(readlinkSync(`/proc/${pid}/fd/${fd}`));
      } catch {
        return false;
      }
    });
    if (holds) owners.push({ pid: Number(pid), command: commandLine(Number(pid)) });
  }
  return owners;
}

function commandLine(pid: number): string {
  try {
    const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
    return cmd.length > 160 ? `${cmd.slice(0, 157)}...` : cmd;
  } catch {
    return '?';
  }
}

/** Throws one PortsInUseError naming every busy port and its process. */
export async function assertPortsFree(wanted: WantedPort[]): Promise<void> {
  const busy: Array<WantedPort & { owners: PortOwner[] }> = [];
  for (const w of wanted) if (!(await portIsFree(w.port))) busy.push({ ...w, owners: portOwners(w.port) });
  if (busy.length) throw new PortsInUseError(busy);
}

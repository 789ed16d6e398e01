/**
 * Spawning child processes that die with this process, even when it is SIGKILLed or crashes: an
 * orphaned FerretDB or Temporal server would keep its port and make the next `npm start` fail.
 *
 * Node has no prctl(PR_SET_PDEATHSIG). util-linux's `setpriv --pdeathsig SIG -- prog` sets it and
 * execs prog, so the child keeps its pid and the kernel sends SIG when we go. Where setpriv is
 * missing, a small sh sentinel checks once a second whether the child still has us as parent.
 *
 * Children also get their own session (`detached`), so a Ctrl-C in the terminal reaches only this
 * process, which then stops them in order (worker before Temporal before FerretDB).
 */
import { spawn, spawnSync, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export type DeathSignal = 'SIGTERM' | 'SIGKILL';

let setpriv: string | null | undefined;

/** The setpriv binary if it is there and knows --pdeathsig; KOPPELWERK_NO_SETPRIV=1 forces the fallback. */
export function findSetpriv(): string | null {
  if (setpriv !== undefined) return setpriv;
  setpriv = null;
  if (process.platform !== 'linux' || process.env.KOPPELWERK_NO_SETPRIV === '1') return setpriv;
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/bin', '/bin'].filter(Boolean);
  const found = dirs.map((d) => join(d, 'setpriv')).find((p) => existsSync(p));
  if (found && spawnSync(found, ['--pdeathsig', 'KILL', '--', 'true'], { stdio: 'ignore' }).status === 0) setpriv = found;
  return setpriv;
}

// $1 our pid, $2 the child's pid, $3 the signal. An orphan is re-parented at once (even while its
// dead parent is still an unreaped zombie), so the child's ppid in /proc is the reliable sign.
const SENTINEL = `
p=$1 c=$2 s=$3
ours() { if [ -r /proc/$c/stat ]; then [ "$(sed 's/.*) //' /proc/$c/stat | cut -d' ' -f2)" = "$p" ]; else kill -0 "$p" 2>/dev/null; fi; }
while kill -0 "$c" 2>/dev/null; do
  ours || { kill -s "\${s#SIG}" "$c" 2>/dev/null; exit 0; }
  sleep 1
done`;

/** `spawn`, plus: the child gets `signal` when this process dies, however it dies. */
export function spawnDyingWithParent(
  command: string,
  args: string[],
  options: SpawnOptions,
  signal: DeathSignal,
): ChildProcess {
  const opts: SpawnOptions = { ...options, detached: true };
  const wrapper = findSetpriv();
  if (wrapper) return spawn(wrapper, ['--pdeathsig', signal.replace(/^SIG/, ''), '--', command, ...args], opts);
  const child = spawn(command, args, opts);
  if (child.pid !== undefined) {
    const sentinel = spawn('/bin/sh', ['-c', SENTINEL, 'koppelwerk-sentinel', String(process.pid), String(child.pid), signal], {
      detached: true,
      stdio: 'ignore',
    });
    sentinel.on('error', () => undefined);
    sentinel.unref();
    child.once('exit', () => sentinel.kill());
  }
  return child;
}

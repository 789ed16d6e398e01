/**
 * Optional on-disk persistence for the simulators (`stateFile` option), so a restarted `npm start`
 * finds the external systems as Koppelwerk left them. One JSON file per simulator, written
 * atomically (temp file, fsync, rename), debounced after requests and flushed on close.
 *
 * File format: `{ simulator, version, savedAt, state }`; `state` is the state class's `snapshot()`.
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

export const STATE_FILE_VERSION = 1;
export const DEFAULT_SAVE_DELAY_MS = 200;

export interface Persister {
  /** Saves soon (debounced); cheap to call after every request. Unchanged state is not rewritten. */
  schedule(): void;
  /** Saves now, synchronously, if anything changed since the last save. Throws when the write fails. */
  flush(): void;
  /** Final flush; afterwards schedule() and flush() do nothing (a closed simulator never writes again). */
  close(): void;
}

export interface PersisterOptions {
  /** Debounce delay; default 200 ms. */
  delayMs?: number;
  /** Where failed background saves are reported; default console.error. */
  onError?: (err: Error) => void;
}

export class StateFileError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(message);
    this.name = 'StateFileError';
  }
}

/** Writes `text` to `file` atomically: a crash leaves either the old or the new file, never half of one. */
export function writeFileAtomic(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    const fd = openSync(tmp, 'w', 0o600);
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

export function createPersister(simulator: string, file: string, snapshot: () => unknown, opts: PersisterOptions = {}): Persister {
  const delay = opts.delayMs ?? DEFAULT_SAVE_DELAY_MS;
  const onError = opts.onError ?? ((err: Error) => console.error(`${simulator} simulator: ${err.message}`));
  let timer: NodeJS.Timeout | undefined;
  let lastWritten: string | undefined;
  let closed = false;

  const save = (): void => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    const state = JSON.stringify(snapshot());
    if (state === lastWritten) return;
    const text = `{"simulator":${JSON.stringify(simulator)},"version":${STATE_FILE_VERSION},"savedAt":${JSON.stringify(new Date().toISOString())},"state":${state}}\n`;
    try {
      writeFileAtomic(file, text);
    } catch (err) {
      throw new StateFileError(file, `could not save the ${simulator} simulator state to ${file}: ${err instanceof Error ? err.message : String(err)}`);
    }
    lastWritten = state;
  };

  return {
    schedule() {
      if (closed || timer) return;
      timer = setTimeout(() => {
        timer = undefined;
        try {
          save();
        } catch (err) {
          onError(err as Error);
        }
      }, delay);
      // Never keeps a process alive on its own; close() flushes what is pending.
      timer.unref();
    },
    flush() {
      if (!closed) save();
    },
    close() {
      if (closed) return;
      try {
        save();
      } finally {
        closed = true;
        if (timer) clearTimeout(timer);
        timer = undefined;
      }
    },
  };
}

/**
 * Reads a state file written by a persister: undefined when it does not exist, the `state` part
 * otherwise. Anything unreadable (bad JSON, another simulator's file, an unknown version) throws a
 * StateFileError naming the file.
 */
export function readStateFile(simulator: string, file: string): unknown {
  if (!existsSync(file)) return undefined;
  const fail = (why: string): never => {
    throw new StateFileError(file, `${simulator} simulator state file ${file} is unusable: ${why}. Fix or delete it (the simulator then starts from its demo data).`);
  };
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    return fail(err instanceof Error ? err.message : String(err));
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return fail('not a JSON object');
  const doc = parsed as { simulator?: unknown; version?: unknown; state?: unknown };
  if (doc.simulator !== simulator) return fail(`written by simulator ${JSON.stringify(doc.simulator)}, expected "${simulator}"`);
  if (doc.version !== STATE_FILE_VERSION) return fail(`format version ${JSON.stringify(doc.version)}, expected ${STATE_FILE_VERSION}`);
  if (typeof doc.state !== 'object' || doc.state === null) return fail('no "state" object');
  return doc.state;
}

/**
 * What each start*Simulator does with `stateFile`: restore the saved state when the file exists
 * (`restore` errors are reported against the file), and return a persister that has already
 * written the current state, so the file exists from the first start on.
 */
export function openStateFile(
  simulator: string,
  file: string,
  restore: (saved: unknown) => void,
  snapshot: () => unknown,
  opts?: PersisterOptions,
): { persister: Persister; restored: boolean } {
  const saved = readStateFile(simulator, file);
  if (saved !== undefined) {
    try {
      restore(saved);
    } catch (err) {
      throw new StateFileError(
        file,
        `${simulator} simulator state file ${file} is unusable: ${err instanceof Error ? err.message : String(err)}. Fix or delete it (the simulator then starts from its demo data).`,
      );
    }
  }
  const persister = createPersister(simulator, file, snapshot, opts);
  persister.flush();
  return { persister, restored: saved !== undefined };
}

/** Schedules a save after every request the server answered (or dropped); unchanged state is not rewritten. */
export function persistAfterRequests(server: import('node:http').Server, persister: Persister): void {
  // Prepended, so the hook is in place before the app answers (even synchronously).
  server.prependListener('request', (_req, res: import('node:http').ServerResponse) => {
    res.once('close', () => persister.schedule());
  });
}

/** Capture the structured log (every JSON line the process writes through src/platform/log). */
import { logDestination, setLogDestination } from '../../src/platform/log';

export interface CapturedLog {
  lines: string[];
  /** Parsed lines. */
  entries(): Array<Record<string, unknown>>;
  stop(): void;
}

export function captureLogs(): CapturedLog {
  const lines: string[] = [];
  const previous = logDestination();
  setLogDestination({ write: (line: string) => void lines.push(line) });
  return {
    lines,
    entries: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>),
    stop: () => setLogDestination(previous),
  };
}

/**
 * Temporal's logs into the same JSON lines: a Runtime logger that forwards to pino (workflow `log`
 * via the SDK's sink, activity `log` / `Context.current().log`, the worker's own messages, and the
 * Rust core's logs via `telemetryOptions.logging.forward`). Every line whose metadata names a
 * koppeling workflow gets tenantId, koppelingId and (for a cycle) cycleNo, parsed from the
 * workflow id `koppeling/<tenant>/<koppeling>[/cycle-<n>-…]`.
 */
import type { LogLevel, LogMetadata, Logger as TemporalLogger } from '@temporalio/common';
import { Runtime, makeTelemetryFilterString, type RuntimeOptions } from '@temporalio/worker';
import { idsFromWorkflowId, logger, logLevel, type LogLevelName } from './log';

const PINO_LEVEL = { TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' } as const;

/** Temporal's Logger interface on top of the current root pino logger. */
export class PinoTemporalLogger implements TemporalLogger {
  log(level: LogLevel, message: string, meta?: LogMetadata): void {
    // The bundler's multi-line webpack report ("asset workflow-bundle-….js …") is debug detail;
    // "Workflow bundle created" right after it says the same at info.
    // Likewise "No workflows registered, not polling for workflow tasks": each system's queue has
    // activities only, by design.
    const detail = message.startsWith('asset workflow-bundle') || message.startsWith('No workflows registered');
    const method = detail ? 'debug' : (PINO_LEVEL[level] ?? 'info');
    const l = logger();
    if (!l.isLevelEnabled(method)) return;
    l[method](temporalFields(meta), message);
  }
  trace(message: string, meta?: LogMetadata): void {
    this.log('TRACE', message, meta);
  }
  debug(message: string, meta?: LogMetadata): void {
    this.log('DEBUG', message, meta);
  }
  info(message: string, meta?: LogMetadata): void {
    this.log('INFO', message, meta);
  }
  warn(message: string, meta?: LogMetadata): void {
    this.log('WARN', message, meta);
  }
  error(message: string, meta?: LogMetadata): void {
    this.log('ERROR', message, meta);
  }
}

/** Temporal's metadata (string keys only: its timestamp symbol is dropped) plus our ids. */
export function temporalFields(meta: LogMetadata | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (meta) for (const k of Object.keys(meta)) out[k] = meta[k];
  // Activity metadata names the run `workflowRunId`, workflow metadata `runId`: log both as runId.
  if (out.runId === undefined && out.workflowRunId !== undefined) out.runId = out.workflowRunId;
  return { ...idsFromWorkflowId(out.workflowId), ...out };
}

let installed = false;

/**
 * Install Temporal's Runtime with our logger, once per process, before the first
 * NativeConnection. A no-op if this process already has a Runtime (installed by someone else).
 */
export function installTemporalRuntime(opts: { shutdownSignals?: NodeJS.Signals[]; level?: LogLevelName } = {}): void {
  if (installed || Runtime._instance !== undefined) return;
  const lvl = opts.level ?? logLevel();
  const options: RuntimeOptions = {
    logger: new PinoTemporalLogger(),
    telemetryOptions: {
      logging: {
        forward: {},
        filter: makeTelemetryFilterString({ core: lvl === 'debug' || lvl === 'trace' ? 'INFO' : 'WARN', other: 'ERROR' }),
      },
    },
    ...(opts.shutdownSignals ? { shutdownSignals: opts.shutdownSignals } : {}),
  };
  Runtime.install(options);
  installed = true;
}

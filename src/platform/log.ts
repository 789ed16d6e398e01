/**
 * Structured logs: one JSON line per event on stdout (pino), from the API, the worker and the
 * Temporal runtime alike. stdout because it is pino's default and what a container runtime or
 * process supervisor collects as the event stream; a process's human status lines (npm start) are
 * the only other thing written there.
 *
 * Three layers keep credentials out:
 * 1. pino `redact` for the known secret paths (password, token, securityCode1/2, apiKey, …);
 * 2. a deep pass over every logged object: any key that looks secret is censored at any depth,
 *    request/response bodies and an error's `config`/`request`/`response` are dropped, errors are
 *    reduced to type, message, code, stack and cause;
 * 3. a last pass over the finished line that replaces every credential value this process has
 *    seen (`rememberSecrets`, called when credentials are stored or read, and for the config's
 *    keys), whatever key or message it ended up in.
 *
 * Request bodies and query strings are never logged (see ./http-log.ts).
 */
import { types } from 'node:util';
import pino, { type DestinationStream, type Logger } from 'pino';
import { configSchema, type Config } from '../config';

export type { Logger } from 'pino';
export type LogLevelName = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'silent';

export const CENSOR = '[REDACTED]';
const OMITTED = '[omitted]';

/** Known secret fields, for pino's fast-path redaction (one level of nesting via `*.`). */
const SECRET_FIELDS = [
  'password',
  'token',
  'apiToken',
  'securityCode1',
  'securityCode2',
  'secret',
  'apiKey',
  'access_token',
  'refresh_token',
  'client_secret',
  'credentials',
  'authorization',
];
export const REDACT_PATHS = [
  ...SECRET_FIELDS,
  ...SECRET_FIELDS.map((f) => `*.${f}`),
  'headers.authorization',
  'headers.cookie',
  'headers["x-api-key"]',
  '*.headers.authorization',
  '*.headers.cookie',
  '*.headers["x-api-key"]',
];

/** A key whose value is censored wherever it appears (the deep pass). */
const SECRET_KEY = /pass(word|wd)?$|token|secret|securitycode|api[-_]?key|authori[sz]ation|cookie|credential|private[-_]?key|session[-_]?id|codec[-_]?key/i;
/** Keys whose values are never logged at all: bodies, raw envelopes, an HTTP client's request. */
const DROP_KEY = /^(body|rawBody|requestBody|responseBody|envelope|config|request|response|options)$/;
const MAX_DEPTH = 6;
const MAX_STRING = 4_000;

// --- secret values seen by this process ------------------------------------------------------

const MIN_SECRET_LENGTH = 6;
const MAX_SECRETS = 5_000;
const secrets = new Set<string>();

/** Remember credential values so no log line can carry them, whatever key they hide under. */
export function rememberSecrets(values: Record<string, unknown> | unknown[] | string | undefined | null): void {
  if (values === undefined || values === null) return;
  const add = (v: unknown) => {
    if (typeof v !== 'string' || v.length < MIN_SECRET_LENGTH) return;
    for (const form of new Set([v, JSON.stringify(v).slice(1, -1), encodeURIComponent(v)])) {
      if (secrets.has(form)) continue;
      if (secrets.size >= MAX_SECRETS) secrets.delete(secrets.values().next().value as string);
      secrets.add(form);
    }
  };
  if (typeof values === 'string') add(values);
  else for (const v of Array.isArray(values) ? values : Object.values(values)) add(v);
}

/** Replace every remembered secret value in a finished line. */
export function scrubSecrets(line: string): string {
  let out = line;
  for (const s of secrets) if (out.includes(s)) out = out.split(s).join(CENSOR);
  return out;
}

// --- the deep pass ---------------------------------------------------------------------------

/** An error as a log field: type, message, code, stack, cause; never its request/response/config. */
export function serializeError(err: Error, depth = 0): Record<string, unknown> {
  const out: Record<string, unknown> = { type: err.name || err.constructor?.name || 'Error', message: err.message };
  const rec = err as unknown as Record<string, unknown>;
  for (const k of ['code', 'type', 'status', 'statusCode', 'nonRetryable', 'retryable', 'errorType']) {
    const v = rec[k];
    if (v !== undefined && (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')) out[k === 'type' ? 'errorType' : k] = v;
  }
  if (err.stack) out.stack = err.stack;
  if (err.cause !== undefined && depth < 3) out.cause = types.isNativeError(err.cause) ? serializeError(err.cause, depth + 1) : sanitize(err.cause, depth + 1);
  return out;
}

/** A copy of `value` safe to log (see the file comment). Never mutates its input. */
export function sanitize(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (value === null || value === undefined) return value;
  if (typeof value === 'string') return value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}…` : value;
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'function' || typeof value === 'symbol') return undefined;
  // isNativeError also knows errors made in the workflow sandbox's own V8 context.
  if (value instanceof Error || types.isNativeError(value)) return serializeError(value as Error);
  if (value instanceof Date) return value.toISOString();
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) return `[${value.byteLength} bytes]`;
  if (typeof value !== 'object') return String(value);
  if (seen.has(value)) return '[circular]';
  if (depth >= MAX_DEPTH) return '[…]';
  seen.add(value);
  if (Array.isArray(value)) return value.slice(0, 50).map((v) => sanitize(v, depth + 1, seen));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (DROP_KEY.test(k)) out[k] = OMITTED;
    else if (SECRET_KEY.test(k) && v !== null && v !== undefined && typeof v !== 'number' && typeof v !== 'boolean') out[k] = CENSOR;
    else {
      const s = sanitize(v, depth + 1, seen);
      if (s !== undefined) out[k] = s;
    }
  }
  return out;
}

// --- the root logger -------------------------------------------------------------------------

/** LOG_LEVEL as parsed by src/config.ts; an invalid value is reported there, here it means info. */
function levelFromEnv(): LogLevelName {
  const parsed = configSchema.shape.LOG_LEVEL.safeParse(process.env.LOG_LEVEL);
  return parsed.success ? parsed.data : 'info';
}

/** A destination that scrubs remembered secret values from each finished line. */
class ScrubbingDestination implements DestinationStream {
  constructor(readonly inner: DestinationStream) {}
  write(line: string): void {
    this.inner.write(scrubSecrets(line));
  }
}

let level: LogLevelName = levelFromEnv();
let destination: DestinationStream | undefined;
let root: Logger | undefined;

export function buildLogger(dest: DestinationStream, lvl: LogLevelName = level): Logger {
  return pino(
    {
      level: lvl,
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: {
        level: (label) => ({ level: label }),
        log: (obj) => sanitize(obj) as Record<string, unknown>,
        bindings: (b) => sanitize(b) as Record<string, unknown>,
      },
      // `err` goes through the deep pass like any error; this keeps pino from adding its own.
      serializers: { err: (e: unknown) => (types.isNativeError(e) ? serializeError(e) : sanitize(e)) },
      redact: { paths: REDACT_PATHS, censor: CENSOR },
    },
    new ScrubbingDestination(dest),
  );
}

/** The process's root logger (created on first use). */
export function logger(): Logger {
  if (!root) root = buildLogger(destination ?? pino.destination({ dest: 1, sync: true }));
  return root;
}

/** A child logger with ids bound (tenantId, koppelingId, workflowId, runId, cycleNo, …). */
export function childLogger(bindings: Record<string, unknown>): Logger {
  return logger().child(bindings);
}

/** Change the level. Loggers made by `childLogger` before this keep the level they had. */
export function setLogLevel(lvl: LogLevelName): void {
  level = lvl;
  if (root) root.level = lvl;
}

export function logDestination(): DestinationStream | undefined {
  return destination;
}

export function logLevel(): LogLevelName {
  return level;
}

/** Send everything from now on to `dest` (tests capture the log this way); undefined: stdout. */
export function setLogDestination(dest: DestinationStream | undefined): void {
  destination = dest;
  root = undefined;
}

/** Apply the config to logging: LOG_LEVEL, and the config's own keys as secrets to scrub. */
export function configureLogging(config: Partial<Config>): void {
  if (config.LOG_LEVEL) setLogLevel(config.LOG_LEVEL);
  rememberSecrets([
    config.KOPPELWERK_CREDENTIALS_KEY,
    config.KOPPELWERK_CODEC_KEY,
    config.KOPPELWERK_OPERATOR_API_KEY,
    ...Object.values(config.KOPPELWERK_CREDENTIALS_OLD_KEYS ?? {}),
    ...Object.values(config.KOPPELWERK_CODEC_OLD_KEYS ?? {}),
    mongoPassword(config.MONGODB_URI),
  ]);
}

function mongoPassword(uri: string | undefined): string | undefined {
  const m = uri && /^mongodb(?:\+srv)?:\/\/[^:@/]*:([^@/]+)@/.exec(uri);
  return m ? decodeURIComponent(m[1]) : undefined;
}

// --- ids -------------------------------------------------------------------------------------

/** tenantId, koppelingId and cycleNo from a workflow id `koppeling/<tenant>/<koppeling>[/cycle-<n>-…]`. */
export function idsFromWorkflowId(workflowId: unknown): { tenantId?: string; koppelingId?: string; cycleNo?: number } {
  if (typeof workflowId !== 'string') return {};
  const m = /^koppeling\/([^/]+)\/([^/]+)(?:\/cycle-(\d+))?/.exec(workflowId);
  if (!m) return {};
  return { tenantId: m[1], koppelingId: m[2], ...(m[3] ? { cycleNo: Number(m[3]) } : {}) };
}

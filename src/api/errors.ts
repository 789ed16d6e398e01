/**
 * Error → HTTP answer, in one place. Client mistakes are 4xx with `{ error, issues? }`; a store or
 * Temporal that is briefly unavailable is 503 with Retry-After (a retry helps, the client did
 * nothing wrong); only what we cannot classify is a 500, and its body never carries a stack.
 */
import { ZodError } from 'zod';
import { ServiceError } from '../services/koppelingen';
import { HttpError, zodIssues } from './route';

export interface ErrorAnswer {
  status: number;
  body: { error: string; issues?: { field: string; reason: string }[]; [k: string]: unknown };
  headers?: Record<string, string>;
  /** Unexpected: log it (without the request body). */
  unexpected?: boolean;
}

/** Messages for the body-parser / raw-body / router error types (they carry `type` and `status`). */
const TYPED_MESSAGES: Record<string, { status: number; error: string; field: string }> = {
  'entity.parse.failed': { status: 400, error: 'Ongeldige JSON', field: '(body)' },
  'entity.too.large': { status: 413, error: 'De body is te groot.', field: '(body)' },
  'charset.unsupported': { status: 415, error: 'Niet-ondersteunde tekenset; gebruik utf-8.', field: 'content-type' },
  'encoding.unsupported': { status: 415, error: 'Niet-ondersteunde content-encoding; gebruik gzip, deflate, br of geen.', field: 'content-encoding' },
  'request.aborted': { status: 400, error: 'Het verzoek is afgebroken.', field: '(body)' },
  'request.size.invalid': { status: 400, error: 'De body is korter of langer dan content-length.', field: 'content-length' },
  'entity.verify.failed': { status: 400, error: 'Ongeldige body.', field: '(body)' },
};

const TRANSIENT_NAMES = new Set([
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoServerSelectionError',
  'MongoTopologyClosedError',
  'MongoNotConnectedError',
  'MongoPoolClearedError',
  'MongoWaitQueueTimeoutError',
  'WorkflowUpdateRPCTimeoutOrCancelledError',
]);

// gRPC status codes a retry can fix: DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, ABORTED, UNAVAILABLE.
const TRANSIENT_GRPC_CODES = new Set([4, 8, 10, 14]);

function chain(err: unknown): unknown[] {
  const out: unknown[] = [];
  for (let e = err, i = 0; e && i < 5; e = (e as { cause?: unknown }).cause, i++) out.push(e);
  return out;
}

/** The messages of an error and its causes, outermost first: enough to see why, without a stack. */
export function reasonChain(err: unknown): string {
  return chain(err)
    .map((e) => (e instanceof Error ? `${e.name}: ${e.message}` : String(e)))
    .join(' <- ');
}

/** A dependency (MongoDB/FerretDB, Temporal) that is busy, unreachable or slow: worth a retry. */
export function isTransient(err: unknown): boolean {
  return chain(err).some((e) => {
    if (!(e instanceof Error)) return false;
    if (TRANSIENT_NAMES.has(e.name) || TRANSIENT_NAMES.has(e.constructor?.name)) return true;
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'number' && TRANSIENT_GRPC_CODES.has(code) && 'details' in e) return true;
    // Right after a worker crash the workflow's task has timed out and a new one waits for a worker:
    // Temporal refuses an update until then (FAILED_PRECONDITION); the kill soak's syncs met it.
    if (code === 9 && /Workflow Task in failed state|unexpected workflow task failure/i.test(e.message)) return true;
    const labels = (e as { errorLabelSet?: Set<string> }).errorLabelSet;
    if (labels?.has?.('RetryableWriteError') || labels?.has?.('TransientTransactionError')) return true;
    // FerretDB on SQLite answers a locked database with SQLITE_BUSY in the message.
    return /SQLITE_BUSY|database is locked|ECONNREFUSED|ECONNRESET|ETIMEDOUT|timed out|deadline exceeded/i.test(e.message);
  });
}

export function errorAnswer(err: unknown): ErrorAnswer {
  if (err instanceof HttpError) return { status: err.status, body: { error: err.message, ...(err.issues ? { issues: err.issues } : {}) } };
  if (err instanceof ServiceError) return { status: err.status, body: { error: err.message } };
  if (err instanceof ZodError) return { status: 400, body: { error: 'Ongeldige invoer', issues: zodIssues(err) } };
  const e = err as { type?: unknown; status?: unknown; statusCode?: unknown; message?: unknown } | null;
  const type = typeof e?.type === 'string' ? e.type : undefined;
  const typed = type && Object.hasOwn(TYPED_MESSAGES, type) ? TYPED_MESSAGES[type] : undefined;
  if (typed) {
    // The parser's own message says what was wrong (e.g. "Unexpected token } in JSON at position 9").
    return { status: typed.status, body: { error: typed.error, issues: [{ field: typed.field, reason: String(e?.message ?? type) }] } };
  }
  const status = typeof e?.status === 'number' ? e.status : typeof e?.statusCode === 'number' ? e.statusCode : undefined;
  if (status !== undefined && status >= 400 && status < 500) {
    // E.g. the router's "Failed to decode param '%zz'", or a broken gzip stream (400 from body-parser).
    return { status, body: { error: 'Ongeldig verzoek', issues: [{ field: type ?? '(request)', reason: String(e?.message ?? 'bad request') }] } };
  }
  if (isTransient(err)) {
    return {
      status: 503,
      body: { error: 'Tijdelijk niet beschikbaar (database of Temporal bezet of onbereikbaar); probeer het zo opnieuw.' },
      headers: { 'Retry-After': '2' },
      unexpected: true,
    };
  }
  return { status: 500, body: { error: 'Interne fout; zie de serverlog.' }, unexpected: true };
}

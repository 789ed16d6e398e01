/**
 * One Open API call: URL with the token as query parameter, fetch with a timeout, envelope check,
 * error mapping. Nothing here ever puts the URL (which holds the token) into an error.
 */
import type { ZodType, ZodTypeDef } from 'zod';
import { isKoppelError } from '../../../domain/errors';
import { awaitCallSlot } from '../../../platform/call-budget';
import { werkbonappSystem } from '../system';
import type { ErrorContext } from './errors';
import { envelopeError, rateLimited, redact, transient } from './errors';
import type { WireEnvelope } from './schemas';
import { envelopeSchema } from './schemas';

export interface HttpConfig {
  /** Open API base, e.g. https://www.werkbonapp.nl/openapi/8 */
  apiBase: string;
  token: string;
  softwareToken?: string;
  timeoutMs: number;
  fetchImpl: typeof fetch;
}

export interface CallSpec {
  method: 'GET' | 'POST';
  endpoint: string;
  params?: Record<string, string>;
  body?: unknown;
  /** Non-200 codes the caller handles itself (e.g. 1500 not found, 1503 no data changed). */
  accept?: readonly number[];
}

/** Accepts a server root or an Open API base; appends `/openapi/<version>` when missing. */
export function resolveApiBase(baseUrl: string, version: number): string {
  const trimmed = baseUrl.replace(/\/+$/, '');
  return /\/openapi\/\d+$/.test(trimmed) ? trimmed : `${trimmed}/openapi/${version}`;
}

export function contextFor(cfg: HttpConfig, endpoint: string): ErrorContext {
  return { endpoint, secrets: [cfg.token, cfg.softwareToken ?? ''] };
}

function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = (err as { cause?: unknown }).cause;
  const causeText = cause instanceof Error ? ` (${(cause as { code?: string }).code ?? cause.name}: ${cause.message})` : '';
  return `${err.name}: ${err.message}${causeText}`;
}

function retryAfterMs(header: string | null, fallbackMs: number): number {
  const seconds = header === null ? NaN : Number(header);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : fallbackMs;
}

export async function call(cfg: HttpConfig, spec: CallSpec): Promise<WireEnvelope> {
  const ctx = contextFor(cfg, spec.endpoint);
  const url = new URL(`${cfg.apiBase}/${spec.endpoint}/`);
  url.searchParams.set('token', cfg.token);
  if (cfg.softwareToken) url.searchParams.set('software_token', cfg.softwareToken);
  for (const [k, v] of Object.entries(spec.params ?? {})) url.searchParams.set(k, v);

  // The budget is per API token.
  await awaitCallSlot(werkbonappSystem, cfg.token);
  let text: string;
  try {
    const res = await cfg.fetchImpl(url, {
      method: spec.method,
      headers: spec.body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
      body: spec.body === undefined ? undefined : JSON.stringify(spec.body),
      signal: AbortSignal.timeout(cfg.timeoutMs),
    });
    if (res.status === 429) throw rateLimited(ctx, retryAfterMs(res.headers.get('retry-after'), 60_000));
    if (res.status >= 500) {
      const ra = res.headers.get('retry-after');
      throw transient(ctx, `WerkbonApp ${spec.method} ${spec.endpoint}: HTTP ${res.status}`, ra ? retryAfterMs(ra, 0) : undefined);
    }
    // The Open API answers 200 to everything; any other status comes from something in between.
    if (res.status !== 200) throw transient(ctx, `WerkbonApp ${spec.method} ${spec.endpoint}: unexpected HTTP ${res.status}`);
    text = await res.text();
  } catch (err) {
    if (isKoppelError(err)) throw err;
    // AbortSignal.timeout rejects with a DOMException, which is not always `instanceof Error`.
    const name = typeof err === 'object' && err !== null ? (err as { name?: unknown }).name : undefined;
    const timedOut = name === 'TimeoutError' || name === 'AbortError';
    throw transient(ctx, timedOut
      ? `WerkbonApp ${spec.method} ${spec.endpoint}: no answer within ${cfg.timeoutMs} ms`
      : `WerkbonApp ${spec.method} ${spec.endpoint}: request failed: ${redact(describe(err), ctx.secrets)}`);
  }

  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw transient(ctx, `WerkbonApp ${spec.method} ${spec.endpoint}: answer is not valid JSON (${text.length} bytes)`);
  }
  const envelope = envelopeSchema.safeParse(json);
  if (!envelope.success) throw transient(ctx, `WerkbonApp ${spec.method} ${spec.endpoint}: answer is not a {code, messages, response} envelope`);
  const { code, messages } = envelope.data;
  if (code !== 200 && !(spec.accept ?? []).includes(code)) throw envelopeError(code, messages, ctx);
  return envelope.data;
}

/** Validates an envelope's `response`; a mismatch is an unexpected answer (Transient). */
export function parseResponse<T>(cfg: HttpConfig, endpoint: string, schema: ZodType<T, ZodTypeDef, unknown>, response: unknown): T {
  const parsed = schema.safeParse(response);
  if (parsed.success) return parsed.data;
  const where = parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
  throw transient(contextFor(cfg, endpoint), `WerkbonApp ${endpoint}: unexpected answer shape (${where})`);
}

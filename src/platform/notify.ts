/**
 * Tenant monitoring webhooks. `notifyTenant` stores the event durably (once per dedupe key, in
 * the outbox of src/store/notifications.ts) and sends its first attempt right away; the
 * dispatcher (started with the admin API, src/server.ts) sends the retries with exponential
 * back-off, so a notification survives a restart of either process: what is due is in MongoDB.
 *
 * Each POST is JSON, signed with HMAC-SHA256 over `<timestamp>.<raw body>` with the tenant's
 * secret: headers `Koppelwerk-Timestamp` (unix seconds), `Koppelwerk-Signature: v1=<hex>`,
 * `Koppelwerk-Event-Id` (stable across retries: the receiver de-duplicates on it) and
 * `Koppelwerk-Attempt`. A 2xx answer is delivered; anything else (or no answer in 10 s, or a
 * redirect) is retried until KOPPELWERK_NOTIFY_MAX_ATTEMPTS, then the notification is `failed`.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Config } from '../config';
import { NotificationStore, REQUEST_TIMEOUT_MS, type NotificationDoc, type TenantEvent } from '../store/notifications';
import { logger } from './log';

export type { TenantEvent } from '../store/notifications';

export interface NotifyDeps {
  config: Pick<Config, 'KOPPELWERK_NOTIFY_RETRY_BASE_MS' | 'KOPPELWERK_NOTIFY_MAX_ATTEMPTS'>;
  notifications: NotificationStore;
}

const MAX_DELAY_MS = 3_600_000;

export const SIGNATURE_HEADER = 'koppelwerk-signature';
export const TIMESTAMP_HEADER = 'koppelwerk-timestamp';
export const EVENT_ID_HEADER = 'koppelwerk-event-id';
export const ATTEMPT_HEADER = 'koppelwerk-attempt';

export function signWebhook(secret: string, timestamp: number, rawBody: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${rawBody}`, 'utf8').digest('hex')}`;
}

/** What a receiver does (documented in the README): recompute, compare in constant time, check the age. */
export function verifyWebhook(secret: string, headers: { timestamp?: string; signature?: string }, rawBody: string, now = Date.now(), toleranceSec = 300): boolean {
  const ts = Number(headers.timestamp);
  if (!Number.isInteger(ts) || Math.abs(now / 1000 - ts) > toleranceSec || !headers.signature) return false;
  const expected = Buffer.from(signWebhook(secret, ts, rawBody));
  const given = Buffer.from(headers.signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** Delay after failed attempt `attempt` (1-based): base, 2×base, 4×base … at most an hour. */
export function retryDelayMs(base: number, attempt: number): number {
  return Math.min(base * 2 ** Math.min(attempt - 1, 30), MAX_DELAY_MS);
}

/** The JSON the receiver gets: the same for every attempt of one notification. */
export function webhookBody(n: NotificationDoc): string {
  return JSON.stringify({
    id: n._id,
    kind: n.kind,
    tenantId: n.tenantId,
    koppelingId: n.koppelingId,
    ...(n.flow !== undefined ? { flow: n.flow } : {}),
    ...(n.itemKey !== undefined ? { itemKey: n.itemKey } : {}),
    ...(n.state !== undefined ? { state: n.state } : {}),
    message: n.message,
    createdAt: n.createdAt.toISOString(),
  });
}

const inFlight = new Set<Promise<unknown>>();

/** Wait for first attempts started by notifyTenant in this process (shutdown, tests). */
export async function drainNotifications(): Promise<void> {
  while (inFlight.size) await Promise.allSettled([...inFlight]);
}

/**
 * Tell the tenant. Durable and idempotent by `dedupeKey`: an activity retried after a crash calls
 * this again and nothing is stored or sent twice. The first attempt runs in the background
 * (`wait: true` awaits it); its failure is only logged, the dispatcher retries.
 */
export async function notifyTenant(deps: NotifyDeps, event: TenantEvent, opts: { wait?: boolean } = {}): Promise<void> {
  const hook = await deps.notifications.hasWebhook(event.tenantId);
  const { doc, created } = await deps.notifications.enqueue(event, hook);
  logger().warn({ component: 'notify', tenantId: event.tenantId, koppelingId: event.koppelingId, kind: event.kind, notificationId: doc._id, created, webhook: hook }, event.message);
  if (doc.status !== 'pending' || doc.attempts > 0) return;
  const p = attemptDelivery(deps, doc._id).catch((err) => logger().warn({ component: 'notify', err, notificationId: doc._id }, 'webhook attempt failed to run'));
  inFlight.add(p);
  void p.finally(() => inFlight.delete(p));
  if (opts.wait) await p;
}

export type AttemptResult = 'delivered' | 'retry' | 'failed' | 'skipped';

/** One claimed attempt of one notification, if it is due and nobody else has it. */
export async function attemptDelivery(deps: NotifyDeps, id: string, now = new Date()): Promise<AttemptResult> {
  const before = await deps.notifications.get(id);
  if (!before || before.status !== 'pending' || (before.nextAttemptAt && before.nextAttemptAt.getTime() > now.getTime())) return 'skipped';
  if (!(await deps.notifications.claim(before, now))) return 'skipped';
  // Read again after the claim: another sender may have finished this attempt just before.
  const n = await deps.notifications.get(id);
  if (!n || n.status !== 'pending' || n.attempts !== before.attempts) return 'skipped';
  const attempt = n.attempts + 1;
  const hook = await deps.notifications.getWebhook(n.tenantId);
  if (!hook) {
    await deps.notifications.recordAttempt(n, { attempt, at: now, ms: 0, error: 'geen webhook ingesteld' }, { status: 'no_webhook', nextAttemptAt: null, url: '' });
    return 'failed';
  }
  const body = webhookBody(n);
  const ts = Math.floor(Date.now() / 1000);
  const started = Date.now();
  let httpStatus: number | undefined;
  let error: string | undefined;
  try {
    const res = await fetch(hook.url, {
      method: 'POST',
      redirect: 'manual',
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Koppelwerk-Webhook/1',
        [TIMESTAMP_HEADER]: String(ts),
        [SIGNATURE_HEADER]: signWebhook(hook.secret, ts, body),
        [EVENT_ID_HEADER]: n._id,
        [ATTEMPT_HEADER]: String(attempt),
      },
      body,
    });
    httpStatus = res.status;
    await res.arrayBuffer().catch(() => undefined); // free the socket; the body is not kept
    if (res.status < 200 || res.status >= 300) error = `HTTP ${res.status}`;
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    error = (err instanceof Error && err.name === 'TimeoutError' ? `geen antwoord binnen ${REQUEST_TIMEOUT_MS / 1000} s` : undefined) ?? cause?.code ?? cause?.message ?? (err instanceof Error ? err.message : String(err));
  }
  const record = { attempt, at: now, ms: Date.now() - started, ...(httpStatus !== undefined ? { httpStatus } : {}), ...(error ? { error: error.slice(0, 300) } : {}) };
  if (!error) {
    await deps.notifications.recordAttempt(n, record, { status: 'delivered', nextAttemptAt: null, url: hook.url });
    return 'delivered';
  }
  const last = attempt >= deps.config.KOPPELWERK_NOTIFY_MAX_ATTEMPTS;
  const next = last ? null : new Date(Date.now() + retryDelayMs(deps.config.KOPPELWERK_NOTIFY_RETRY_BASE_MS, attempt));
  await deps.notifications.recordAttempt(n, record, { status: last ? 'failed' : 'pending', nextAttemptAt: next, url: hook.url });
  return last ? 'failed' : 'retry';
}

/** Every due notification, one attempt each. */
export async function deliverDue(deps: NotifyDeps, now = new Date()): Promise<number> {
  let sent = 0;
  for (const n of await deps.notifications.due(now)) {
    const r = await attemptDelivery(deps, n._id, now);
    if (r !== 'skipped') sent++;
  }
  return sent;
}

/** The retry loop: every `intervalMs` (default: the retry base, between 100 ms and 5 s). */
export function startNotificationDispatcher(deps: NotifyDeps, opts: { intervalMs?: number } = {}): { stop(): Promise<void> } {
  const interval = opts.intervalMs ?? Math.min(Math.max(deps.config.KOPPELWERK_NOTIFY_RETRY_BASE_MS, 100), 5_000);
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let wake: (() => void) | undefined;
  let lastPurge = 0;
  const loop = (async () => {
    while (!stopped) {
      try {
        await deliverDue(deps);
        if (Date.now() - lastPurge > 3_600_000) {
          lastPurge = Date.now();
          await deps.notifications.purgeClaims(new Date(lastPurge - 7 * 86_400_000));
        }
      } catch (err) {
        logger().warn({ component: 'notify', err }, 'webhook dispatch failed; the next pass tries again');
      }
      if (stopped) break;
      await new Promise<void>((r) => {
        wake = r;
        timer = setTimeout(r, interval);
      });
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      wake?.();
      await loop;
      await drainNotifications();
    },
  };
}

/**
 * Tenant monitoring (seed 004 "Monitoring": "als een koppeling … mislukt, laten we jou direct weten
 * wat het probleem is"): a tenant's webhook (URL + signing secret, sealed like credentials) and an
 * outbox of notifications, one document per (tenant, dedupe key), with every delivery attempt.
 *
 * Who sends an attempt is decided by a unique insert in `notificationClaims` (FerretDB v1 does not
 * make concurrent updates of one document atomic; a unique insert is, see the ledger). A claim is
 * `<id>#<attempt>#<epoch>` with 30-second epochs: a sender that died after claiming blocks its
 * attempt only until a later epoch, and a claim taken right after an epoch boundary backs off while
 * the previous epoch's claim is younger than a request can take (CLAIM_GUARD_MS).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Filter } from 'mongodb';
import { open, seal, type Keyring, type SealedBox } from '../domain/crypto';
import { rememberSecrets } from '../platform/log';
import type { Store } from './mongo';

export const NOTIFICATION_KINDS = ['item_failed', 'cycle_failed', 'waiting'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];
export const NOTIFICATION_STATUSES = ['pending', 'delivered', 'failed', 'no_webhook'] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];

export interface TenantEvent {
  tenantId: string;
  koppelingId: string;
  kind: NotificationKind;
  /** The same key again is the same notification: stored and delivered once. */
  dedupeKey: string;
  message: string;
  flow?: string;
  itemKey?: string;
  state?: string;
}

export interface TenantWebhookDoc {
  _id: string; // tenant id
  url: string;
  secret: SealedBox;
  createdAt: Date;
  updatedAt: Date;
}

export interface DeliveryAttempt {
  attempt: number;
  at: Date;
  ms: number;
  httpStatus?: number;
  error?: string;
}

export interface NotificationDoc {
  /** sha256 of tenant + dedupe key. */
  _id: string;
  tenantId: string;
  koppelingId: string;
  kind: NotificationKind;
  dedupeKey: string;
  message: string;
  flow?: string;
  itemKey?: string;
  state?: string;
  createdAt: Date;
  status: NotificationStatus;
  attempts: number;
  lastHttpStatus?: number;
  lastError?: string;
  nextAttemptAt?: Date | null;
  deliveredAt?: Date;
  /** The webhook URL the notification was (or is being) delivered to. */
  url?: string;
  history: DeliveryAttempt[];
}

export const CLAIM_EPOCH_MS = 30_000;
/** A delivery request times out after REQUEST_TIMEOUT_MS; a claim younger than this may still be sending. */
export const REQUEST_TIMEOUT_MS = 10_000;
const CLAIM_GUARD_MS = REQUEST_TIMEOUT_MS + 5_000;
const MAX_HISTORY = 20;

export function notificationId(tenantId: string, dedupeKey: string): string {
  return createHash('sha256').update(`${tenantId}\u0000${dedupeKey}`).digest('hex').slice(0, 40);
}

function isDuplicateKey(err: unknown): boolean {
  return (err as { code?: number })?.code === 11000;
}

export class NotificationStore {
  constructor(
    private readonly store: Store,
    private readonly ring: Keyring,
  ) {}

  private aad(tenantId: string): string {
    return `koppelwerk:webhook:${tenantId}`;
  }

  // --- the tenant's webhook ---------------------------------------------------------------------

  /** Set the URL; a new secret when there is none or `rotate`. Returns the secret only when new (shown once). */
  async setWebhook(tenantId: string, url: string, rotate = false): Promise<{ url: string; secret?: string }> {
    const existing = await this.store.c.tenantWebhooks.findOne({ _id: tenantId });
    const now = new Date();
    if (existing && !rotate) {
      await this.store.c.tenantWebhooks.updateOne({ _id: tenantId }, { $set: { url, updatedAt: now } });
      return { url };
    }
    const secret = `whsec_${randomBytes(32).toString('base64url')}`;
    rememberSecrets(secret);
    await this.store.c.tenantWebhooks.replaceOne(
      { _id: tenantId },
      { url, secret: seal(this.ring, secret, this.aad(tenantId)), createdAt: existing?.createdAt ?? now, updatedAt: now },
      { upsert: true },
    );
    return { url, secret };
  }

  async getWebhook(tenantId: string): Promise<{ url: string; secret: string; createdAt: Date; updatedAt: Date } | undefined> {
    const doc = await this.store.c.tenantWebhooks.findOne({ _id: tenantId });
    if (!doc) return undefined;
    const secret = open<string>(this.ring, doc.secret, this.aad(tenantId));
    rememberSecrets(secret);
    return { url: doc.url, secret, createdAt: doc.createdAt, updatedAt: doc.updatedAt };
  }

  async hasWebhook(tenantId: string): Promise<boolean> {
    return (await this.store.c.tenantWebhooks.countDocuments({ _id: tenantId }, { limit: 1 })) > 0;
  }

  /** The URL and dates, never the secret. */
  async webhookView(tenantId: string): Promise<{ url: string; createdAt: Date; updatedAt: Date } | undefined> {
    const doc = await this.store.c.tenantWebhooks.findOne({ _id: tenantId }, { projection: { secret: 0 } });
    return doc ? { url: doc.url, createdAt: doc.createdAt, updatedAt: doc.updatedAt } : undefined;
  }

  async deleteWebhook(tenantId: string): Promise<boolean> {
    return (await this.store.c.tenantWebhooks.deleteOne({ _id: tenantId })).deletedCount > 0;
  }

  // --- the outbox -------------------------------------------------------------------------------

  /** Store an event once per dedupe key. `created` false: it was there already (unchanged). */
  async enqueue(event: TenantEvent, hasWebhook: boolean, now = new Date()): Promise<{ doc: NotificationDoc; created: boolean }> {
    const doc: NotificationDoc = {
      _id: notificationId(event.tenantId, event.dedupeKey),
      tenantId: event.tenantId,
      koppelingId: event.koppelingId,
      kind: event.kind,
      dedupeKey: event.dedupeKey,
      message: event.message.slice(0, 2_000),
      ...(event.flow !== undefined ? { flow: event.flow } : {}),
      ...(event.itemKey !== undefined ? { itemKey: event.itemKey } : {}),
      ...(event.state !== undefined ? { state: event.state } : {}),
      createdAt: now,
      // Without a webhook the notification is still kept (GET /notifications shows it), never sent later.
      status: hasWebhook ? 'pending' : 'no_webhook',
      attempts: 0,
      nextAttemptAt: hasWebhook ? now : null,
      history: [],
    };
    try {
      await this.store.c.notifications.insertOne(doc);
      return { doc, created: true };
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      const existing = await this.store.c.notifications.findOne({ _id: doc._id });
      return { doc: existing ?? doc, created: false };
    }
  }

  get(id: string): Promise<NotificationDoc | null> {
    return this.store.c.notifications.findOne({ _id: id });
  }

  /** Pending notifications whose next attempt is due (oldest first). */
  due(now: Date, limit = 50): Promise<NotificationDoc[]> {
    return this.store.c.notifications
      .find({ status: 'pending', nextAttemptAt: { $lte: now } })
      .sort({ nextAttemptAt: 1 })
      .limit(limit)
      .toArray();
  }

  /**
   * Take attempt `attempts + 1` of a notification: true when this caller may send it. False when
   * another sender has it (or had it within the guard time and may still be sending).
   */
  async claim(n: NotificationDoc, now = new Date()): Promise<boolean> {
    const epoch = Math.floor(now.getTime() / CLAIM_EPOCH_MS);
    try {
      await this.store.c.notificationClaims.insertOne({ _id: `${n._id}#${n.attempts}#${epoch}`, at: now });
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
    const previous = await this.store.c.notificationClaims.findOne({ _id: `${n._id}#${n.attempts}#${epoch - 1}` });
    return !previous || previous.at.getTime() < now.getTime() - CLAIM_GUARD_MS;
  }

  /** Claims older than a week (what the TTL index does on MongoDB; FerretDB v1 has none). */
  async purgeClaims(olderThan: Date): Promise<number> {
    return (await this.store.c.notificationClaims.deleteMany({ at: { $lt: olderThan } })).deletedCount;
  }

  /** Record one attempt's result (by the claimer of that attempt). */
  async recordAttempt(
    n: NotificationDoc,
    a: DeliveryAttempt,
    outcome: { status: NotificationStatus; nextAttemptAt: Date | null; url: string },
  ): Promise<void> {
    const history = [...n.history, a].slice(-MAX_HISTORY);
    await this.store.c.notifications.updateOne(
      { _id: n._id },
      {
        $set: {
          attempts: a.attempt,
          history,
          status: outcome.status,
          nextAttemptAt: outcome.nextAttemptAt,
          url: outcome.url,
          ...(a.httpStatus !== undefined ? { lastHttpStatus: a.httpStatus } : {}),
          ...(a.error !== undefined ? { lastError: a.error } : {}),
          ...(outcome.status === 'delivered' ? { deliveredAt: a.at } : {}),
        },
      },
    );
  }

  async list(q: { tenantId?: string; koppelingId?: string; status?: NotificationStatus; kind?: NotificationKind; limit: number; offset: number }) {
    const filter: Filter<NotificationDoc> = {};
    if (q.tenantId) filter.tenantId = q.tenantId;
    if (q.koppelingId) filter.koppelingId = q.koppelingId;
    if (q.status) filter.status = q.status;
    if (q.kind) filter.kind = q.kind;
    const [items, total] = await Promise.all([
      this.store.c.notifications.find(filter).sort({ createdAt: -1, _id: -1 }).skip(q.offset).limit(q.limit).toArray(),
      this.store.c.notifications.countDocuments(filter),
    ]);
    return { items, total };
  }
}

/**
 * One MongoDB connection for the process; collections and their indexes. Only what FerretDB v1 and
 * MongoDB 7 both support: no multi-document transactions, no change streams.
 */
import { Collection, Db, MongoClient, type MongoClientOptions } from 'mongodb';
import type { ActivityLogDoc } from './activity-log';
import type { NotificationDoc, TenantWebhookDoc } from './notifications';
import type { ApiKeyDoc, CredentialDoc, KoppelingDoc, KoppelingStatusDoc, LedgerDoc, LogDoc, TenantDoc } from './types';

export interface Collections {
  tenants: Collection<TenantDoc>;
  apiKeys: Collection<ApiKeyDoc>;
  koppelingen: Collection<KoppelingDoc>;
  /** The workflow's state mirror, one per koppeling: written by workers only (see KoppelingStore.setStatus). */
  koppelingStatus: Collection<KoppelingStatusDoc>;
  credentials: Collection<CredentialDoc>;
  ledger: Collection<LedgerDoc>;
  /** One document per take-over of a ledger entry (`<businessKey>#<attempts>`): the unique insert decides who writes next. */
  ledgerClaims: Collection<{ _id: string; at: Date }>;
  log: Collection<LogDoc>;
  /** Per item: source, pushed, answer (./activity-log.ts); expires by TTL on expiresAt. */
  activityLog: Collection<ActivityLogDoc>;
  /** A tenant's monitoring webhook: URL and sealed signing secret (./notifications.ts). */
  tenantWebhooks: Collection<TenantWebhookDoc>;
  /** Tenant notifications (outbox), one per dedupe key, with their delivery attempts. */
  notifications: Collection<NotificationDoc>;
  /** One per delivery attempt taken (`<id>#<attempt>#<epoch>`): the unique insert decides who sends. */
  notificationClaims: Collection<{ _id: string; at: Date }>;
}

export interface Store {
  client: MongoClient;
  db: Db;
  c: Collections;
  close(): Promise<void>;
}

/** `options`: extra client options (tests count commands with `monitorCommands`). */
export async function connectStore(uri: string, dbName: string, options: MongoClientOptions = {}): Promise<Store> {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 5_000, appName: 'koppelwerk', ...options });
  await client.connect();
  const db = client.db(dbName);
  const c: Collections = {
    tenants: db.collection<TenantDoc>('tenants'),
    apiKeys: db.collection<ApiKeyDoc>('apiKeys'),
    koppelingen: db.collection<KoppelingDoc>('koppelingen'),
    koppelingStatus: db.collection<KoppelingStatusDoc>('koppelingStatus'),
    credentials: db.collection<CredentialDoc>('credentials'),
    ledger: db.collection<LedgerDoc>('ledger'),
    ledgerClaims: db.collection<{ _id: string; at: Date }>('ledgerClaims'),
    log: db.collection<LogDoc>('log'),
    activityLog: db.collection<ActivityLogDoc>('activityLog'),
    tenantWebhooks: db.collection<TenantWebhookDoc>('tenantWebhooks'),
    notifications: db.collection<NotificationDoc>('notifications'),
    notificationClaims: db.collection<{ _id: string; at: Date }>('notificationClaims'),
  };
  await ensureIndexes(c);
  return { client, db, c, close: () => client.close() };
}

/** Idempotent: createIndex with the same spec is a no-op. */
export async function ensureIndexes(c: Collections): Promise<void> {
  await c.apiKeys.createIndex({ tenantId: 1 }, { name: 'tenant' });
  await c.koppelingen.createIndex({ tenantId: 1, type: 1 }, { name: 'tenant_type' });
  await c.koppelingen.createIndex({ targetKey: 1 }, { name: 'target', sparse: true });
  await c.koppelingStatus.createIndex({ state: 1 }, { name: 'state' });
  await c.credentials.createIndex({ koppelingId: 1 }, { name: 'koppeling' });
  await c.ledger.createIndex({ businessKey: 1 }, { name: 'business_key', unique: true });
  await c.ledger.createIndex({ koppelingId: 1, entity: 1, status: 1 }, { name: 'koppeling_entity_status' });
  await c.ledger.createIndex({ koppelingId: 1, reference: 1 }, { name: 'koppeling_reference' });
  // The journal koppeling reads a run's memorialen by run (meta.runKey).
  await c.ledger.createIndex({ koppelingId: 1, entity: 1, 'meta.runKey': 1 }, { name: 'koppeling_entity_run' });
  await c.log.createIndex({ koppelingId: 1, at: -1 }, { name: 'koppeling_at' });
  await c.activityLog.createIndex({ koppelingId: 1, at: -1 }, { name: 'koppeling_at' });
  await ttlIndex(c.activityLog, 'expiresAt', 0);
  await c.notifications.createIndex({ tenantId: 1, createdAt: -1 }, { name: 'tenant_created' });
  await c.notifications.createIndex({ status: 1, nextAttemptAt: 1 }, { name: 'due' });
  await ttlIndex(c.notificationClaims, 'at', 7 * 86_400);
}

/**
 * A TTL index where the server has them (MongoDB). FerretDB v1.24 refuses the option ("Index
 * option expireAfterSeconds is not implemented yet", code 238): there a plain index on the same
 * field serves the stores' own purge (ActivityLogStore.purgeExpired), which keeps retention.
 */
async function ttlIndex(col: Collection<any>, field: string, expireAfterSeconds: number): Promise<void> { // eslint-disable-line @typescript-eslint/no-explicit-any
  try {
    await col.createIndex({ [field]: 1 }, { name: 'ttl', expireAfterSeconds });
  } catch (err) {
    if ((err as { code?: number }).code !== 238) throw err;
    await col.createIndex({ [field]: 1 }, { name: 'ttl' });
  }
}

export async function pingStore(store: Store): Promise<void> {
  await store.db.command({ ping: 1 });
}

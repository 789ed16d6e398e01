/**
 * One MongoDB connection for the process; collections and their indexes. Only what FerretDB v1 and
 * MongoDB 7 both support: no multi-document transactions, no change streams.
 */
import { Collection, Db, MongoClient, type MongoClientOptions } from 'mongodb';
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
}

export async function pingStore(store: Store): Promise<void> {
  await store.db.command({ ping: 1 });
}

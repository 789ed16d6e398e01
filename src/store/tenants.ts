/** Tenants and their API keys. Keys are random, shown once, and stored only as sha256. */
import { createHash, randomBytes } from 'node:crypto';
import type { Store } from './mongo';
import type { TenantDoc } from './types';

export function hashKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

export class TenantStore {
  constructor(private readonly store: Store) {}

  async upsert(id: string, name: string): Promise<TenantDoc> {
    const res = await this.store.c.tenants.findOneAndUpdate(
      { _id: id },
      { $set: { name }, $setOnInsert: { createdAt: new Date() } },
      { upsert: true, returnDocument: 'after' },
    );
    return res!;
  }

  get(id: string): Promise<TenantDoc | null> {
    return this.store.c.tenants.findOne({ _id: id });
  }

  list(): Promise<TenantDoc[]> {
    return this.store.c.tenants.find().sort({ _id: 1 }).toArray();
  }

  /** Issue a new key for a tenant; `key` lets the demo use a fixed value. */
  async issueKey(tenantId: string, label: string, key = `kw_${tenantId}_${randomBytes(24).toString('base64url')}`): Promise<string> {
    await this.store.c.apiKeys.updateOne(
      { _id: hashKey(key) },
      { $set: { tenantId, label }, $setOnInsert: { createdAt: new Date() } },
      { upsert: true },
    );
    return key;
  }

  async tenantForKey(key: string): Promise<string | undefined> {
    const doc = await this.store.c.apiKeys.findOne({ _id: hashKey(key) });
    return doc?.tenantId;
  }
}

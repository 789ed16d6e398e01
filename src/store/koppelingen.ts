/** Koppeling configuration: MongoDB is the source of truth; the workflow mirrors its state here. */
import type { Filter } from 'mongodb';
import type { Cadence } from '../domain/cadence';
import type { Store } from './mongo';
import type { ClosedPeriod, KoppelingDoc, KoppelingState, KoppelingStatus } from './types';

export interface NewKoppeling {
  _id: string;
  tenantId: string;
  type: string;
  name: string;
  settings: Record<string, unknown>;
  cadence: Cadence;
  mapping?: Record<string, string>;
  targetKey?: string | null;
}

export class KoppelingStore {
  constructor(private readonly store: Store) {}

  async create(k: NewKoppeling): Promise<KoppelingDoc> {
    const now = new Date();
    const doc: KoppelingDoc = {
      ...k,
      mapping: k.mapping ?? {},
      closedPeriods: [],
      lifecycle: 'linked',
      version: 1,
      credentialsVersion: 0,
      status: { state: 'ACTIVE', updatedAt: now },
      createdAt: now,
      updatedAt: now,
    };
    await this.store.c.koppelingen.insertOne(doc);
    return doc;
  }

  get(id: string): Promise<KoppelingDoc | null> {
    return this.store.c.koppelingen.findOne({ _id: id });
  }

  list(filter: { tenantId?: string; type?: string; state?: KoppelingState; limit: number; offset: number }) {
    const q: Filter<KoppelingDoc> = {};
    if (filter.tenantId) q.tenantId = filter.tenantId;
    if (filter.type) q.type = filter.type;
    if (filter.state) q['status.state'] = filter.state;
    return Promise.all([
      this.store.c.koppelingen.find(q).sort({ createdAt: 1 }).skip(filter.offset).limit(filter.limit).toArray(),
      this.store.c.koppelingen.countDocuments(q),
    ]);
  }

  private async patch(id: string, set: Record<string, unknown>, extra: Record<string, unknown> = {}): Promise<KoppelingDoc | null> {
    return this.store.c.koppelingen.findOneAndUpdate(
      { _id: id },
      { $set: { ...set, updatedAt: new Date() }, $inc: { version: 1 }, ...extra },
      { returnDocument: 'after' },
    );
  }

  updateConfig(id: string, changes: { name?: string; settings?: Record<string, unknown>; cadence?: Cadence }) {
    const set: Record<string, unknown> = {};
    if (changes.name !== undefined) set.name = changes.name;
    if (changes.settings !== undefined) set.settings = changes.settings;
    if (changes.cadence !== undefined) set.cadence = changes.cadence;
    return this.patch(id, set);
  }

  setMapping(id: string, mapping: Record<string, string>) {
    return this.patch(id, { mapping });
  }

  async setTargetKey(id: string, targetKey: string | null): Promise<void> {
    await this.store.c.koppelingen.updateOne({ _id: id }, { $set: { targetKey } });
  }

  /** Another linked koppeling writing the same thing to the same place, if any. */
  findTwin(targetKey: string, exceptId?: string): Promise<KoppelingDoc | null> {
    return this.store.c.koppelingen.findOne({ targetKey, lifecycle: 'linked', ...(exceptId ? { _id: { $ne: exceptId } } : {}) });
  }

  setLifecycle(id: string, lifecycle: KoppelingDoc['lifecycle']) {
    return this.patch(id, { lifecycle });
  }

  addClosedPeriod(id: string, p: ClosedPeriod) {
    return this.patch(id, {}, { $addToSet: { closedPeriods: p } });
  }

  async bumpCredentialsVersion(id: string): Promise<number> {
    const res = await this.store.c.koppelingen.findOneAndUpdate(
      { _id: id },
      { $inc: { credentialsVersion: 1 }, $set: { updatedAt: new Date() } },
      { returnDocument: 'after' },
    );
    return res?.credentialsVersion ?? 0;
  }

  /** Written by the workflow (through an activity), so list filters by state work without Temporal. */
  async setStatus(id: string, status: KoppelingStatus): Promise<void> {
    await this.store.c.koppelingen.updateOne({ _id: id }, { $set: { status: { ...status, updatedAt: new Date() } } });
  }
}

/** Koppeling configuration: MongoDB is the source of truth; the workflow mirrors its state here. */
import type { Filter } from 'mongodb';
import type { Cadence } from '../domain/cadence';
import type { Store } from './mongo';
import type { ClosedPeriod, KoppelingDoc, KoppelingState, KoppelingStatus, KoppelingStatusDoc } from './types';

export interface NewKoppeling {
  _id: string;
  tenantId: string;
  type: string;
  name: string;
  settings: Record<string, unknown>;
  cadence: Cadence;
  mapping?: Record<string, string>;
  targetKey?: string | null;
  /** Its connections per system, made before the koppeling so it is whole in its first write. */
  connections?: Record<string, string>;
  credentialsVersion?: number;
}

export class KoppelingStore {
  constructor(private readonly store: Store) {}

  /**
   * A new koppeling in one write. `linked` only when everything it needs (its connections) exists
   * already: the reconciler starts any linked koppeling that has no workflow.
   */
  async create(k: NewKoppeling, lifecycle: KoppelingDoc['lifecycle'] = 'unlinked'): Promise<KoppelingDoc> {
    const now = new Date();
    const doc: KoppelingDoc = {
      ...k,
      mapping: k.mapping ?? {},
      closedPeriods: [],
      lifecycle,
      version: 1,
      credentialsVersion: k.credentialsVersion ?? 0,
      status: { state: 'ACTIVE', updatedAt: now },
      createdAt: now,
      updatedAt: now,
    };
    if (!k.connections) delete doc.connections;
    // The status first: a workflow started by the reconciler the moment the koppeling is linked
    // writes its own status, which this initial one must not overwrite.
    await this.store.c.koppelingStatus.replaceOne({ _id: doc._id }, doc.status, { upsert: true });
    await this.store.c.koppelingen.insertOne(doc);
    return doc;
  }

  async get(id: string): Promise<KoppelingDoc | null> {
    const [k, status] = await Promise.all([this.store.c.koppelingen.findOne({ _id: id }), this.store.c.koppelingStatus.findOne({ _id: id })]);
    return k && withStatus(k, status);
  }

  async list(filter: { tenantId?: string; type?: string; state?: KoppelingState; limit: number; offset: number }): Promise<[KoppelingDoc[], number]> {
    const q: Filter<KoppelingDoc> = {};
    if (filter.tenantId) q.tenantId = filter.tenantId;
    if (filter.type) q.type = filter.type;
    if (filter.state) {
      const ids = await this.store.c.koppelingStatus.find({ state: filter.state }, { projection: { _id: 1 } }).toArray();
      q._id = { $in: ids.map((d) => d._id) };
    }
    const [page, total] = await Promise.all([
      this.store.c.koppelingen.find(q).sort({ createdAt: 1 }).skip(filter.offset).limit(filter.limit).toArray(),
      this.store.c.koppelingen.countDocuments(q),
    ]);
    const statuses = page.length ? await this.store.c.koppelingStatus.find({ _id: { $in: page.map((k) => k._id) } }).toArray() : [];
    const byId = new Map(statuses.map((st) => [st._id, st]));
    return [page.map((k) => withStatus(k, byId.get(k._id))), total];
  }

  /** Every koppeling's id, tenant, lifecycle and target key, streamed: what the reconciler compares. */
  lifecycles(): AsyncIterable<Pick<KoppelingDoc, '_id' | 'tenantId' | 'lifecycle' | 'targetKey'>> {
    return this.store.c.koppelingen.find({}, { projection: { _id: 1, tenantId: 1, lifecycle: 1, targetKey: 1 } });
  }

  /**
   * Koppelingen from before the status had its own collection get their status document (once;
   * idempotent). Run at API start, before anything filters by state.
   */
  async migrateStatus(): Promise<number> {
    const have = new Set((await this.store.c.koppelingStatus.find({}, { projection: { _id: 1 } }).toArray()).map((d) => d._id));
    let moved = 0;
    // Read first, then write: an open cursor during writes keeps a read open in FerretDB's SQLite.
    for (const k of await this.store.c.koppelingen.find({}, { projection: { _id: 1, status: 1 } }).toArray()) {
      if (have.has(k._id) || !k.status) continue;
      await this.store.c.koppelingStatus.updateOne({ _id: k._id }, { $setOnInsert: { ...k.status } }, { upsert: true });
      moved++;
    }
    return moved;
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
  /**
   * Written by the workflow (through an activity) into its own collection: FerretDB v1 rewrites a
   * whole document on update, so a worker's status write racing the API's "linked" on the same
   * document could undo it. The worker never writes koppeling documents.
   */
  async setStatus(id: string, status: KoppelingStatus): Promise<void> {
    await this.store.c.koppelingStatus.replaceOne({ _id: id }, { ...status, updatedAt: new Date() }, { upsert: true });
  }
}

/** The koppeling with its status from the mirror collection (the embedded one predates it). */
function withStatus(k: KoppelingDoc, status: KoppelingStatusDoc | null | undefined): KoppelingDoc {
  if (!status) return k;
  const { _id, ...rest } = status;
  return { ...k, status: rest };
}

/**
 * The koppeling's own collections. `ev_staging`: what a scan (eAccounting queue) found to push,
 * so the push (Visma.net queue) reads nothing from eAccounting and workflow payloads stay keys.
 * `ev_items`: per source item its last outcome (done, skipped, waiting, failed), the hash of what
 * was last sent, and the Visma.net id; the next scan skips what is done and unchanged.
 */
import type { Collection } from 'mongodb';
import type { Store } from '../../src/store/mongo';
import type { EvFlow } from './contract';

export interface StagedItem {
  _id: string;
  koppelingId: string;
  flow: EvFlow;
  key: string;
  hash: string;
  data: Record<string, unknown>;
  createdAt: Date;
}

export type ItemState = 'done' | 'skipped' | 'waiting' | 'failed';

export interface ItemDoc {
  _id: string;
  koppelingId: string;
  flow: EvFlow;
  key: string;
  state: ItemState;
  /** Hash of the source record last handled. */
  hash: string;
  /** Hash of the payload last written to Visma.net (changed → update). */
  pushedHash?: string;
  targetId?: string;
  /** A failure retrying cannot fix (data, duplicate e-mail): tried again only when the source changes or on replay. */
  stuck?: boolean;
  /** Set by a replay: the next scan stages it whatever its state. */
  replay?: boolean;
  message?: string;
  updatedAt: Date;
}

const id = (koppelingId: string, flow: EvFlow, key: string) => `${koppelingId}|${flow}|${key}`;

export class EvStore {
  readonly staging: Collection<StagedItem>;
  readonly items: Collection<ItemDoc>;
  private indexes?: Promise<unknown>;

  constructor(store: Store) {
    this.staging = store.db.collection<StagedItem>('ev_staging');
    this.items = store.db.collection<ItemDoc>('ev_items');
  }

  ready(): Promise<unknown> {
    this.indexes ??= Promise.all([
      this.staging.createIndex({ koppelingId: 1, flow: 1 }, { name: 'koppeling_flow' }),
      this.items.createIndex({ koppelingId: 1, flow: 1 }, { name: 'koppeling_flow' }),
    ]).catch((err) => {
      this.indexes = undefined;
      throw err;
    });
    return this.indexes;
  }

  /** Replaces what is staged for one flow. One cycle runs at a time per koppeling. */
  async stage(koppelingId: string, flow: EvFlow, items: Array<{ key: string; hash: string; data: Record<string, unknown> }>): Promise<void> {
    await this.staging.deleteMany({ koppelingId, flow });
    if (!items.length) return;
    const now = new Date();
    for (let i = 0; i < items.length; i += 500) {
      await this.staging.insertMany(
        items.slice(i, i + 500).map((x) => ({ _id: id(koppelingId, flow, x.key), koppelingId, flow, key: x.key, hash: x.hash, data: x.data, createdAt: now })),
        { ordered: false },
      );
    }
  }

  staged(koppelingId: string, flow: EvFlow, keys: string[]): Promise<StagedItem[]> {
    return this.staging.find({ _id: { $in: keys.map((k) => id(koppelingId, flow, k)) } }).toArray();
  }

  async itemsOf(koppelingId: string, flow: EvFlow): Promise<Map<string, ItemDoc>> {
    const docs = await this.items.find({ koppelingId, flow }).toArray();
    return new Map(docs.map((d) => [d.key, d]));
  }

  async itemsByKeys(koppelingId: string, flow: EvFlow, keys: string[]): Promise<Map<string, ItemDoc>> {
    const docs = await this.items.find({ _id: { $in: keys.map((k) => id(koppelingId, flow, k)) } }).toArray();
    return new Map(docs.map((d) => [d.key, d]));
  }

  item(koppelingId: string, flow: EvFlow, key: string): Promise<ItemDoc | null> {
    return this.items.findOne({ _id: id(koppelingId, flow, key) });
  }

  async setItem(koppelingId: string, flow: EvFlow, key: string, set: Omit<Partial<ItemDoc>, '_id' | 'koppelingId' | 'flow' | 'key'>): Promise<void> {
    await this.items.updateOne(
      { _id: id(koppelingId, flow, key) },
      { $set: { koppelingId, flow, key, stuck: false, replay: false, ...set, updatedAt: new Date() } },
      { upsert: true },
    );
  }

  /** A replay: the next scan stages the item again, whatever its state. */
  async requestReplay(koppelingId: string, flow: EvFlow, key: string): Promise<boolean> {
    const res = await this.items.updateOne({ _id: id(koppelingId, flow, key) }, { $set: { replay: true, stuck: false, updatedAt: new Date() } });
    return res.matchedCount > 0;
  }
}

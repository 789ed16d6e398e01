/**
 * The koppeling's own collections. What one step hands to the next (changed master data, invoice
 * drafts) waits in `werkbon_staging`, so workflow payloads stay ids and counts.
 * `werkbon_import_hashes` keeps, per record, the hash of what WerkbonApp last accepted: imports are
 * upserts by code, so sending one twice is harmless; what matters is not sending unchanged records.
 */
import type { Collection } from 'mongodb';
import type { ImportKind } from '../../src/koppelingen/eboekhouden-werkbonapp/domain/import';
import type { WerkbonProblem } from '../../src/koppelingen/eboekhouden-werkbonapp/domain/invoice';
import type { Store } from '../../src/store/mongo';

export interface StagedDoc {
  _id: string;
  koppelingId: string;
  kind: string;
  key: string;
  data: unknown;
  hash?: string;
  blocked?: WerkbonProblem;
  createdAt: Date;
}

export interface ImportHashDoc {
  _id: string;
  koppelingId: string;
  entity: string;
  key: string;
  hash: string;
  updatedAt: Date;
}

export class WerkbonStore {
  readonly staging: Collection<StagedDoc>;
  readonly hashes: Collection<ImportHashDoc>;
  private indexes?: Promise<unknown>;

  constructor(store: Store) {
    this.staging = store.db.collection<StagedDoc>('werkbon_staging');
    this.hashes = store.db.collection<ImportHashDoc>('werkbon_import_hashes');
  }

  ready(): Promise<unknown> {
    this.indexes ??= Promise.all([
      this.staging.createIndex({ koppelingId: 1, kind: 1, key: 1 }, { name: 'koppeling_kind_key' }),
      this.hashes.createIndex({ koppelingId: 1, entity: 1 }, { name: 'koppeling_entity' }),
    ]).catch((err) => {
      this.indexes = undefined;
      throw err;
    });
    return this.indexes;
  }

  /** Replaces what is staged of one kind. One cycle runs at a time per koppeling. */
  async stage(koppelingId: string, kind: string, items: Array<{ key: string; data: unknown; hash?: string }>): Promise<void> {
    await this.staging.deleteMany({ koppelingId, kind });
    if (!items.length) return;
    const now = new Date();
    await this.staging.insertMany(
      items.map((i) => ({ _id: `${koppelingId}|${kind}|${i.key}`, koppelingId, kind, key: i.key, data: i.data, hash: i.hash, createdAt: now })),
      { ordered: false },
    );
  }

  staged(koppelingId: string, kind: string, keys?: string[]): Promise<StagedDoc[]> {
    return this.staging.find({ koppelingId, kind, ...(keys ? { key: { $in: keys } } : {}) }).toArray();
  }

  async unstage(koppelingId: string, kind: string, keys: string[]): Promise<void> {
    if (keys.length) await this.staging.deleteMany({ koppelingId, kind, key: { $in: keys } });
  }

  async known(koppelingId: string, entity: string): Promise<Map<string, string>> {
    const docs = await this.hashes.find({ koppelingId, entity }).toArray();
    return new Map(docs.map((d) => [d.key, d.hash]));
  }

  async forget(koppelingId: string, entity: string, keys: string[]): Promise<void> {
    if (keys.length) await this.hashes.deleteMany({ koppelingId, entity, key: { $in: keys } });
  }

  async remember(koppelingId: string, entity: string, entries: Array<{ key: string; hash: string }>): Promise<void> {
    if (!entries.length) return;
    const now = new Date();
    await this.hashes.bulkWrite(
      entries.map((e) => ({
        replaceOne: {
          filter: { _id: `${koppelingId}|${entity}|${e.key}` },
          replacement: { koppelingId, entity, key: e.key, hash: e.hash, updatedAt: now },
          upsert: true,
        },
      })),
      { ordered: false },
    );
  }
}

export const IMPORT_ENTITY: Record<ImportKind, string> = { relaties: 'import-relatie', materialen: 'import-materiaal', uursoorten: 'import-uursoort' };
export const SKIP_ENTITY = (kind: ImportKind) => `${IMPORT_ENTITY[kind]}-overgeslagen`;
/** Staged invoice drafts, one per werkbon. */
export const DRAFT = 'werkbon';

/**
 * The sync ledger: one document per item written to a target, keyed by koppeling + entity + source
 * key. `postOnce` is the only way koppelingen write to an external system, so a retried or crashed
 * activity never writes twice:
 *
 *   insert (pending, attempt 1) → external write → posted      (a retry: attempt++ first)
 *
 * A document left `pending` with attempts > 0 means the outcome is uncertain (a crash or timeout after
 * the request went out). Only then is the target asked, by the deterministic reference, whether the
 * write happened: lookups can be scarce (e-Boekhouden's GetMutaties has a monthly quota).
 */
import { MongoServerError } from 'mongodb';
import { isKoppelError } from '../domain/errors';
import type { Store } from './mongo';
import type { LedgerDoc, LedgerLinks } from './types';

export interface LedgerEntryInput {
  tenantId: string;
  koppelingId: string;
  entity: string;
  sourceKey: string;
  contentHash: string;
  reference: string;
  meta?: Record<string, unknown>;
  links?: LedgerLinks;
}

export type PostOnceResult =
  | { outcome: 'posted'; targetId: string; doc: LedgerDoc }
  | { outcome: 'already'; targetId: string; doc: LedgerDoc }
  | { outcome: 'recovered'; targetId: string; doc: LedgerDoc };

export function businessKey(koppelingId: string, entity: string, sourceKey: string): string {
  return `${koppelingId}|${entity}|${sourceKey}`;
}

export class Ledger {
  constructor(private readonly store: Store) {}

  get(koppelingId: string, entity: string, sourceKey: string): Promise<LedgerDoc | null> {
    return this.store.c.ledger.findOne({ _id: businessKey(koppelingId, entity, sourceKey) });
  }

  list(filter: { koppelingId: string; entity?: string; status?: LedgerDoc['status'] }): Promise<LedgerDoc[]> {
    return this.store.c.ledger.find(filter).sort({ createdAt: 1 }).toArray();
  }

  /** Record the intent to write; returns the existing document when there is one. */
  async begin(input: LedgerEntryInput): Promise<LedgerDoc> {
    return (await this.insertOrGet(input, 0)).doc;
  }

  /** The unique insert that makes the ledger safe across connections; `created` says whether it was ours. */
  private async insertOrGet(input: LedgerEntryInput, attempts: number): Promise<{ doc: LedgerDoc; created: boolean }> {
    const key = businessKey(input.koppelingId, input.entity, input.sourceKey);
    const now = new Date();
    const insert: LedgerDoc = {
      _id: key,
      businessKey: key,
      koppelingId: input.koppelingId,
      tenantId: input.tenantId,
      entity: input.entity,
      sourceKey: input.sourceKey,
      contentHash: input.contentHash,
      reference: input.reference,
      status: 'pending',
      attempts,
      links: input.links ?? {},
      meta: input.meta ?? {},
      createdAt: now,
      updatedAt: now,
    };
    try {
      await this.store.c.ledger.insertOne(insert);
      return { doc: insert, created: true };
    } catch (err) {
      // Duplicate key: someone (an earlier attempt) began it already. That document wins.
      if (err instanceof MongoServerError && err.code === 11000) {
        const existing = await this.store.c.ledger.findOne({ _id: key });
        if (existing) return { doc: existing, created: false };
      }
      throw err;
    }
  }

  private async update(key: string, set: Partial<LedgerDoc>, inc?: Partial<Record<'attempts', number>>): Promise<LedgerDoc> {
    const res = await this.store.c.ledger.findOneAndUpdate(
      { _id: key },
      { $set: { ...set, updatedAt: new Date() }, ...(inc ? { $inc: inc } : {}) },
      { returnDocument: 'after' },
    );
    if (!res) throw new Error(`ledger entry ${key} disappeared`);
    return res;
  }

  markAttempt(key: string): Promise<LedgerDoc> {
    return this.update(key, { status: 'pending' }, { attempts: 1 });
  }

  markPosted(key: string, targetId: string): Promise<LedgerDoc> {
    return this.update(key, { status: 'posted', targetId, lastError: undefined });
  }

  markFailed(key: string, error: string): Promise<LedgerDoc> {
    return this.update(key, { status: 'failed', lastError: error });
  }

  markSkipped(key: string, reason: string): Promise<LedgerDoc> {
    return this.update(key, { status: 'skipped', lastError: reason });
  }

  /** Record what is actually about to be sent (its content may differ from an earlier attempt's). */
  async setContent(key: string, contentHash: string, meta: Record<string, unknown>): Promise<void> {
    const set: Record<string, unknown> = { contentHash, updatedAt: new Date() };
    for (const [k, v] of Object.entries(meta)) set[`meta.${k}`] = v;
    await this.store.c.ledger.updateOne({ _id: key }, { $set: set });
  }

  async link(key: string, links: LedgerLinks): Promise<void> {
    const set: Record<string, string> = {};
    for (const [k, v] of Object.entries(links)) if (v) set[`links.${k}`] = v;
    await this.store.c.ledger.updateOne({ _id: key }, { $set: { ...set, updatedAt: new Date() } });
  }

  /**
   * Write one item at most once. `lookup` finds an earlier write by reference (only called when the
   * outcome of an earlier attempt is uncertain); `write` performs it and returns the target id.
   */
  async postOnce(
    input: LedgerEntryInput,
    ops: { lookup: (reference: string) => Promise<string | undefined>; write: () => Promise<string> },
  ): Promise<PostOnceResult> {
    // A new entry is inserted with its first attempt already counted: one write less per item
    // (FerretDB's updates are the slow part), and a crash before the request only costs a lookup.
    const begun = await this.insertOrGet(input, 1);
    let doc = begun.doc;
    if (!begun.created) {
      if (doc.status === 'posted' && doc.targetId) return { outcome: 'already', targetId: doc.targetId, doc };
      if (doc.attempts > 0 && doc.status === 'pending') {
        const found = await ops.lookup(doc.reference);
        if (found) {
          doc = await this.markPosted(doc._id, found);
          return { outcome: 'recovered', targetId: found, doc };
        }
      }
      doc = await this.markAttempt(doc._id);
    }
    try {
      const targetId = await ops.write();
      doc = await this.markPosted(doc._id, targetId);
      return { outcome: 'posted', targetId, doc };
    } catch (err) {
      // A definite rejection (business error) is recorded as failed; a transient error may have
      // reached the target, so the entry stays pending and the next attempt looks it up first.
      if (isKoppelError(err) && !err.retryable) await this.markFailed(doc._id, `${err.type}: ${err.message}`);
      throw err;
    }
  }
}

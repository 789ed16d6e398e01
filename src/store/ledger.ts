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
 *
 * Two attempts can be in flight at once: Temporal starts a second attempt when the first one's
 * heartbeat or start-to-close timeout passes, while the first may still be waiting for its answer.
 * A lookup by the second would then find nothing (the first write has not landed yet) and it would
 * write again. So the attempt that writes holds a lease on the entry (`leaseUntil`, renewed every
 * `renewMs` while its write runs, cleared when the write ends either way): another attempt that
 * finds the lease live waits for the outcome, and takes over only once the lease has expired (its
 * holder died: a killed worker renews nothing). The take-over is a unique insert of
 * `<businessKey>#<attempts>` in `ledgerClaims` (atomic on FerretDB too), so of several waiting
 * attempts exactly one looks up and writes. It counts its attempt and takes the lease right after
 * the claim, before the lookup, so a lookup that fails or a kill leaves the next attempt number free;
 * a claim whose holder died before counting its attempt goes stale after `leaseMs`.
 * What remains: a holder that is alive but cannot renew for `leaseMs` (a stalled event loop, a lost
 * database connection) while its request is still on its way can be overtaken.
 */
import { randomUUID } from 'node:crypto';
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

export interface LedgerOptions {
  /** How long a write's lease holds without renewal (default 10 s: a killed holder blocks no longer). */
  leaseMs?: number;
  /** How often a running write renews its lease (default 2 s). */
  renewMs?: number;
  /** How often a waiting attempt looks again (default 250 ms). */
  pollMs?: number;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class Ledger {
  private readonly leaseMs: number;
  private readonly renewMs: number;
  private readonly pollMs: number;

  constructor(
    private readonly store: Store,
    opts: LedgerOptions = {},
  ) {
    this.leaseMs = opts.leaseMs ?? 10_000;
    this.renewMs = opts.renewMs ?? 2_000;
    this.pollMs = opts.pollMs ?? 250;
  }

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
  private async insertOrGet(input: LedgerEntryInput, attempts: number, leaseToken?: string): Promise<{ doc: LedgerDoc; created: boolean }> {
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
      ...(leaseToken ? { leaseToken, leaseUntil: new Date(now.getTime() + this.leaseMs) } : {}),
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

  markAttempt(key: string, leaseToken?: string): Promise<LedgerDoc> {
    const lease = leaseToken ? { leaseToken, leaseUntil: new Date(Date.now() + this.leaseMs) } : {};
    return this.update(key, { status: 'pending', ...lease }, { attempts: 1 });
  }

  markPosted(key: string, targetId: string): Promise<LedgerDoc> {
    return this.update(key, { status: 'posted', targetId, lastError: undefined, leaseToken: null, leaseUntil: null });
  }

  /** Keep the lease while our write runs (only if it is still ours). */
  private async renewLease(key: string, token: string): Promise<void> {
    await this.store.c.ledger.updateOne({ _id: key, leaseToken: token }, { $set: { leaseUntil: new Date(Date.now() + this.leaseMs) } });
  }

  /** Our write ended without an answer: the outcome is uncertain, and the next attempt need not wait. */
  private async releaseLease(key: string, token: string): Promise<void> {
    await this.store.c.ledger.updateOne({ _id: key, leaseToken: token }, { $set: { leaseToken: null, leaseUntil: null } });
  }

  /**
   * Exactly one of the attempts that find the entry in the same state (`attempts`) may take it over.
   * A claim whose holder died before it counted its attempt (the entry still shows `attempts`, no
   * lease) is stale after `leaseMs`: it is removed (only that very claim, by its time) and claimed again.
   */
  private async claim(key: string, attempts: number): Promise<boolean> {
    const id = `${key}#${attempts}`;
    for (let i = 0; i < 2; i++) {
      try {
        await this.store.c.ledgerClaims.insertOne({ _id: id, at: new Date() });
        return true;
      } catch (err) {
        if (!(err instanceof MongoServerError && err.code === 11000)) throw err;
      }
      const held = await this.store.c.ledgerClaims.findOne({ _id: id });
      if (held && Date.now() - new Date(held.at).getTime() <= this.leaseMs) return false;
      if (held) await this.store.c.ledgerClaims.deleteOne({ _id: id, at: held.at });
    }
    return false;
  }

  private leaseLive(doc: LedgerDoc): boolean {
    return doc.status === 'pending' && !!doc.leaseUntil && new Date(doc.leaseUntil).getTime() > Date.now();
  }

  markFailed(key: string, error: string): Promise<LedgerDoc> {
    return this.update(key, { status: 'failed', lastError: error, leaseToken: null, leaseUntil: null });
  }

  markSkipped(key: string, reason: string): Promise<LedgerDoc> {
    return this.update(key, { status: 'skipped', lastError: reason, leaseToken: null, leaseUntil: null });
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
    // A new entry is inserted with its first attempt already counted and its lease taken: one write
    // less per item (FerretDB's updates are the slow part), and a crash before the request only costs a lookup.
    const token = randomUUID();
    const begun = await this.insertOrGet(input, 1, token);
    let doc = begun.doc;
    if (!begun.created) {
      for (;;) {
        if (doc.status === 'posted' && doc.targetId) return { outcome: 'already', targetId: doc.targetId, doc };
        if (this.leaseLive(doc)) {
          // Another attempt is writing this item right now: wait for its outcome, never write beside it.
          const left = new Date(doc.leaseUntil!).getTime() - Date.now();
          await sleep(Math.max(10, Math.min(this.pollMs, left)));
        } else if (await this.claim(doc._id, doc.attempts)) {
          break;
        } else {
          await sleep(this.pollMs); // another waiting attempt took it over; watch its lease
        }
        const again = await this.get(input.koppelingId, input.entity, input.sourceKey);
        if (!again) throw new Error(`ledger entry ${doc._id} disappeared`);
        doc = again;
      }
      // Ours now: count the attempt and take the lease at once, before anything that can fail or be
      // cut off (the lookup), so the next attempt finds a new attempt number to claim.
      const uncertain = doc.attempts > 0 && doc.status === 'pending';
      doc = await this.markAttempt(doc._id, token);
      if (uncertain) {
        let found: string | undefined;
        try {
          found = await ops.lookup(doc.reference);
        } catch (err) {
          await this.releaseLease(doc._id, token).catch(() => undefined);
          throw err;
        }
        if (found) {
          doc = await this.markPosted(doc._id, found);
          return { outcome: 'recovered', targetId: found, doc };
        }
      }
    }
    const key = doc._id;
    // A renewal still on its way when the write ends must land before the status changes: FerretDB
    // v1 applies concurrent updates of one document from different connections as read-modify-write
    // (measured: about half of such pairs lose one update), so a late renewal could put the entry
    // back to `pending` after `posted`, and the next attempt would have to look the item up.
    let renewing: Promise<void> = Promise.resolve();
    const renew = setInterval(() => {
      renewing = this.renewLease(key, token).catch(() => undefined);
    }, this.renewMs);
    try {
      const targetId = await ops.write();
      clearInterval(renew);
      await renewing;
      doc = await this.markPosted(key, targetId);
      return { outcome: 'posted', targetId, doc };
    } catch (err) {
      clearInterval(renew);
      await renewing;
      // A definite rejection (business error) is recorded as failed; a transient error may have
      // reached the target, so the entry stays pending and the next attempt looks it up first.
      if (isKoppelError(err) && !err.retryable) await this.markFailed(key, `${err.type}: ${err.message}`);
      else await this.releaseLease(key, token).catch(() => undefined);
      throw err;
    }
  }
}

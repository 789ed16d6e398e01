/**
 * Two attempts of one activity in flight at once, against FerretDB: Temporal starts attempt 2 when
 * attempt 1's heartbeat or start-to-close timeout passes, while attempt 1 may still be waiting for
 * the external system's answer. Without a lease, attempt 2's lookup by reference finds nothing yet
 * (attempt 1's write has not landed) and it writes a second time. With the lease (src/store/ledger.ts)
 * attempt 2 waits for attempt 1's outcome, and takes over only after the lease expired.
 */
import { randomBytes } from 'node:crypto';
import { transientError } from '../../src/domain/errors';
import { Ledger, type LedgerEntryInput } from '../../src/store/ledger';
import { connectStore, type Store } from '../../src/store/mongo';

let store: Store;

beforeAll(async () => {
  store = await connectStore(process.env.KW_IT_MONGODB_URI!, `it_ledger_overlap_${randomBytes(4).toString('hex')}`);
});
afterAll(async () => {
  await store.db.dropDatabase();
  await store.close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let n = 0;
const entry = (): LedgerEntryInput => ({ tenantId: 't', koppelingId: 'k-overlap', entity: 'factuur', sourceKey: `wb-${++n}`, contentHash: 'h', reference: `WB-OV-${n}` });

/** A slow external system: a write lands only after `writeMs`; lookups see only what has landed. */
function slowTarget(writeMs: number, opts: { firstFailsAfterLanding?: boolean } = {}) {
  const landed = new Map<string, string>();
  const calls = { write: 0, lookup: 0 };
  return {
    landed,
    calls,
    ops: (reference: string) => ({
      lookup: async (ref: string) => {
        calls.lookup++;
        return landed.get(ref);
      },
      write: async () => {
        const nth = ++calls.write;
        await sleep(writeMs);
        if (landed.has(reference)) landed.set(`${reference}#dup${nth}`, `F-${nth}`); // a second invoice
        else landed.set(reference, `F-${nth}`);
        if (opts.firstFailsAfterLanding && nth === 1) throw transientError('eboekhouden', 'socket hang up');
        return `F-${nth}`;
      },
    }),
  };
}

test('attempt 2 starts while attempt 1 is still writing: one external write, the ledger posted once', async () => {
  // A write (3 s) that outlives the lease (1 s) without renewal: attempt 1 must keep renewing it.
  const ledger = new Ledger(store, { leaseMs: 1_000, renewMs: 200, pollMs: 50 });
  const t = slowTarget(3_000);
  const e = entry();
  const first = ledger.postOnce(e, t.ops(e.reference));
  await sleep(300); // attempt 1's request is out; now "start-to-close timeout": attempt 2 (and 3) start
  const second = ledger.postOnce(e, t.ops(e.reference));
  await sleep(300);
  const third = ledger.postOnce(e, t.ops(e.reference));
  const results = await Promise.all([first, second, third]);
  expect(results.map((r) => r.outcome)).toEqual(['posted', 'already', 'already']);
  expect(new Set(results.map((r) => r.targetId))).toEqual(new Set(['F-1']));
  expect(t.calls.write).toBe(1);
  expect([...t.landed.keys()]).toEqual([e.reference]);
  const doc = await ledger.get(e.koppelingId, e.entity, e.sourceKey);
  expect(doc).toMatchObject({ status: 'posted', targetId: 'F-1', attempts: 1, leaseUntil: null });
});

test('attempt 1 ends uncertain while attempt 2 waits: attempt 2 looks up and finds the write, no second one', async () => {
  const ledger = new Ledger(store, { leaseMs: 1_000, renewMs: 200, pollMs: 50 });
  const t = slowTarget(800, { firstFailsAfterLanding: true });
  const e = entry();
  const first = ledger.postOnce(e, t.ops(e.reference));
  await sleep(200);
  const second = ledger.postOnce(e, t.ops(e.reference));
  await expect(first).rejects.toThrow('socket hang up');
  await expect(second).resolves.toMatchObject({ outcome: 'recovered', targetId: 'F-1' });
  expect(t.calls).toEqual({ write: 1, lookup: 1 });
});

test('a holder that died (lease no longer renewed) is taken over by exactly one of several waiting attempts', async () => {
  const ledger = new Ledger(store, { leaseMs: 600, renewMs: 200, pollMs: 50 });
  const t = slowTarget(100);
  const e = entry();
  // Attempt 1 began and then its worker was killed before the request went out: pending, lease running out.
  await store.c.ledger.insertOne({
    _id: `${e.koppelingId}|${e.entity}|${e.sourceKey}`,
    businessKey: `${e.koppelingId}|${e.entity}|${e.sourceKey}`,
    koppelingId: e.koppelingId,
    tenantId: e.tenantId,
    entity: e.entity,
    sourceKey: e.sourceKey,
    contentHash: e.contentHash,
    reference: e.reference,
    status: 'pending',
    attempts: 1,
    leaseToken: 'dead-worker',
    leaseUntil: new Date(Date.now() + 600),
    links: {},
    meta: {},
    createdAt: new Date(),
    updatedAt: new Date(),
  });
  const results = await Promise.all([1, 2, 3, 4].map(() => ledger.postOnce(e, t.ops(e.reference))));
  expect(results.filter((r) => r.outcome === 'posted')).toHaveLength(1);
  expect(results.filter((r) => r.outcome === 'already')).toHaveLength(3);
  expect(t.calls.write).toBe(1);
  expect(t.calls.lookup).toBe(1); // only the one that took over asked the target
  expect(await ledger.get(e.koppelingId, e.entity, e.sourceKey)).toMatchObject({ status: 'posted', attempts: 2 });
});

test('a lookup that fails after a take-over leaves the next attempt free to take over (no attempt waits forever)', async () => {
  const ledger = new Ledger(store, { leaseMs: 500, renewMs: 100, pollMs: 50 });
  const e = entry();
  const written = new Map<string, string>();
  let lookups = 0;
  const ops = (lookupFails: boolean) => ({
    lookup: async (ref: string) => {
      lookups++;
      if (lookupFails) throw transientError('eboekhouden', 'GetFacturen: HTTP 503');
      return written.get(ref);
    },
    write: async () => {
      written.set(e.reference, 'F-9');
      return 'F-9';
    },
  });
  // Attempt 1 went out and ended uncertain (no answer): pending, no lease.
  await expect(ledger.postOnce(e, { lookup: async () => undefined, write: async () => Promise.reject(transientError('eboekhouden', 'timeout')) })).rejects.toThrow('timeout');
  await expect(ledger.postOnce(e, ops(true))).rejects.toThrow('HTTP 503');
  await expect(ledger.postOnce(e, ops(false))).resolves.toMatchObject({ outcome: 'posted', targetId: 'F-9' });
  expect(lookups).toBe(2);
});

test('a claim whose holder died before counting its attempt goes stale after the lease time', async () => {
  const ledger = new Ledger(store, { leaseMs: 400, renewMs: 100, pollMs: 50 });
  const e = entry();
  await expect(ledger.postOnce(e, { lookup: async () => undefined, write: async () => Promise.reject(transientError('eboekhouden', 'timeout')) })).rejects.toThrow('timeout');
  // Killed right after its claim: the claim is there, the entry still shows attempt 1 and no lease.
  await store.c.ledgerClaims.insertOne({ _id: `${e.koppelingId}|${e.entity}|${e.sourceKey}#1`, at: new Date() });
  const t = slowTarget(10);
  await expect(ledger.postOnce(e, t.ops(e.reference))).resolves.toMatchObject({ outcome: 'posted', doc: { attempts: 2 } });
  expect(t.calls).toEqual({ write: 1, lookup: 1 });
});

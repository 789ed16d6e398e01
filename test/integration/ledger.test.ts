/**
 * The ledger's at-most-once protocol against the real MongoDB-protocol server (FerretDB): the
 * outcomes every koppeling relies on, with a counting fake for the external system's write and
 * lookup (the crash tests cover the same protocol with a real worker being killed).
 */
import { randomBytes } from 'node:crypto';
import { KoppelError, transientError } from '../../src/domain/errors';
import { Ledger, businessKey, type LedgerEntryInput } from '../../src/store/ledger';
import { connectStore, type Store } from '../../src/store/mongo';

let store: Store;
let ledger: Ledger;

beforeAll(async () => {
  store = await connectStore(process.env.KW_IT_MONGODB_URI!, `it_ledger_${randomBytes(4).toString('hex')}`);
  ledger = new Ledger(store);
});
afterAll(async () => {
  await store.db.dropDatabase();
  await store.close();
});

let n = 0;
const entry = (): LedgerEntryInput => ({
  tenantId: 't',
  koppelingId: 'k1',
  entity: 'factuur',
  sourceKey: `wb-${++n}`,
  contentHash: 'h',
  reference: `WB-${n}`,
});

/** The external system: remembers what was written under which reference. */
function target(opts: { failFirstWrite?: 'transient' | 'rejected' } = {}) {
  const written = new Map<string, string>();
  const calls = { write: 0, lookup: 0 };
  let fail = opts.failFirstWrite;
  return {
    written,
    calls,
    ops: (reference: string, landsDespiteError = false) => ({
      lookup: async (ref: string) => {
        calls.lookup++;
        return written.get(ref);
      },
      write: async () => {
        calls.write++;
        if (fail === 'transient') {
          fail = undefined;
          if (landsDespiteError) written.set(reference, 'F-1'); // the request arrived; the answer did not
          throw transientError('eboekhouden', 'timeout');
        }
        if (fail === 'rejected') {
          fail = undefined;
          throw new KoppelError({ type: 'InvalidData', system: 'eboekhouden', message: 'rejected', oorzaak: 'Geweigerd.', oplossing: 'Verbeter de gegevens.' });
        }
        const id = `F-${written.size + 1}`;
        written.set(reference, id);
        return id;
      },
    }),
  };
}

test('a new item is written once; asking again answers from the ledger without calling the target', async () => {
  const t = target();
  const e = entry();
  const first = await ledger.postOnce(e, t.ops(e.reference));
  expect(first).toMatchObject({ outcome: 'posted', targetId: 'F-1', doc: { status: 'posted', attempts: 1 } });
  const again = await ledger.postOnce(e, t.ops(e.reference));
  expect(again).toMatchObject({ outcome: 'already', targetId: 'F-1' });
  expect(t.calls).toEqual({ write: 1, lookup: 0 });
});

test('after an uncertain failure the next attempt looks the reference up first: found means not written again', async () => {
  const t = target({ failFirstWrite: 'transient' });
  const e = entry();
  await expect(ledger.postOnce(e, t.ops(e.reference, true))).rejects.toThrow('timeout');
  expect(await ledger.get('k1', 'factuur', e.sourceKey)).toMatchObject({ status: 'pending', attempts: 1 });
  const retry = await ledger.postOnce(e, t.ops(e.reference, true));
  expect(retry).toMatchObject({ outcome: 'recovered', targetId: 'F-1' });
  expect(t.calls).toEqual({ write: 1, lookup: 1 });
  expect(t.written.size).toBe(1);
});

test('after an uncertain failure that did not land, the retry writes (attempt 2)', async () => {
  const t = target({ failFirstWrite: 'transient' });
  const e = entry();
  await expect(ledger.postOnce(e, t.ops(e.reference))).rejects.toThrow('timeout');
  const retry = await ledger.postOnce(e, t.ops(e.reference));
  expect(retry).toMatchObject({ outcome: 'posted', doc: { status: 'posted', attempts: 2 } });
  expect(t.calls).toEqual({ write: 2, lookup: 1 });
});

test('a definite rejection is recorded as failed; the next attempt writes again without a lookup', async () => {
  const t = target({ failFirstWrite: 'rejected' });
  const e = entry();
  await expect(ledger.postOnce(e, t.ops(e.reference))).rejects.toThrow('rejected');
  expect(await ledger.get('k1', 'factuur', e.sourceKey)).toMatchObject({ status: 'failed', lastError: 'InvalidData: rejected' });
  expect(await ledger.postOnce(e, t.ops(e.reference))).toMatchObject({ outcome: 'posted' });
  expect(t.calls).toEqual({ write: 2, lookup: 0 });
});

test('begin records intent without an attempt, and the business key is unique', async () => {
  const e = entry();
  const doc = await ledger.begin(e);
  expect(doc).toMatchObject({ _id: businessKey('k1', 'factuur', e.sourceKey), status: 'pending', attempts: 0 });
  const same = await ledger.begin({ ...e, contentHash: 'other' });
  expect(same.contentHash).toBe('h'); // the first document wins
  expect(await store.c.ledger.countDocuments({ _id: doc._id })).toBe(1);
});

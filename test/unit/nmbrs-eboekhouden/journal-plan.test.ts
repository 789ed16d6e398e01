/** What a run still needs in e-Boekhouden, at every point where a crash or a change can leave it. */
import { planRun, type RunEntry } from '../../../src/koppelingen/nmbrs-eboekhouden/domain/journal-plan';

const H1 = 'hash-1';
const H2 = 'hash-2';

function boeking(version: number, tx: number, status: RunEntry['status'], runHash: string, extra: Partial<RunEntry> = {}): RunEntry {
  return { key: `v${version}/t${tx}`, role: 'boeking', version, tx, txCount: 1, status, attempts: status === 'pending' ? 1 : status === 'posted' ? 1 : 0, runHash, ...extra };
}
function tegenboeking(of: RunEntry, status: RunEntry['status'], extra: Partial<RunEntry> = {}): RunEntry {
  return { ...of, key: `${of.key}/tb`, role: 'tegenboeking', status, attempts: status === 'pending' ? 1 : 1, reverses: of.key, ...extra };
}

test('a new run: book version 1', () => {
  expect(planRun([], H1, 1)).toEqual({ kind: 'new', version: 1, resolve: [], reverse: [], post: [0], started: false });
});

test('booked with the same hash: nothing to do', () => {
  expect(planRun([boeking(1, 0, 'posted', H1)], H1, 1).kind).toBe('unchanged');
});

test('an empty journal that was never booked needs nothing', () => {
  expect(planRun([], H1, 0).kind).toBe('unchanged');
});

test('a changed journal: reverse version 1, book version 2 that replaces it', () => {
  const v1 = boeking(1, 0, 'posted', H1);
  expect(planRun([v1], H2, 1)).toEqual({ kind: 'changed', version: 2, replaces: 1, resolve: [], reverse: [v1.key], post: [0], started: false });
});

test('crash after the reversal, before the new version: finish it (started)', () => {
  const v1 = boeking(1, 0, 'posted', H1);
  const plan = planRun([v1, tegenboeking(v1, 'posted')], H2, 1);
  expect(plan).toMatchObject({ kind: 'resume', version: 2, reverse: [], post: [0], started: true });
});

test('crash with the reversal in flight (uncertain): reverse again (postOnce looks it up) and count it as started', () => {
  const v1 = boeking(1, 0, 'posted', H1);
  const plan = planRun([v1, tegenboeking(v1, 'pending')], H2, 1);
  expect(plan).toMatchObject({ version: 2, reverse: [v1.key], post: [0], started: true });
});

test('a version half booked (2 transactions, 1 done): book the rest', () => {
  const t0 = boeking(2, 0, 'posted', H2, { txCount: 2 });
  const v1 = boeking(1, 0, 'posted', H1);
  const plan = planRun([v1, tegenboeking(v1, 'posted'), t0], H2, 2);
  expect(plan).toMatchObject({ kind: 'resume', version: 2, reverse: [], post: [1], started: true });
});

test('the first booking in flight (uncertain): book it again through postOnce, started', () => {
  const plan = planRun([boeking(1, 0, 'pending', H1)], H1, 1);
  expect(plan).toMatchObject({ kind: 'resume', version: 1, resolve: [], post: [0], started: true });
});

test('an outdated booking in flight: resolve it first (booked or not decides the reversal)', () => {
  const v1 = boeking(1, 0, 'pending', H1);
  const plan = planRun([v1], H2, 1);
  expect(plan).toMatchObject({ version: 2, resolve: [v1.key], reverse: [], post: [0] });
  // After the lookup said "not booked" it is skipped: a clean first booking of version 2.
  expect(planRun([{ ...v1, status: 'skipped' }], H2, 1)).toMatchObject({ kind: 'new', version: 2, reverse: [], post: [0], started: false });
});

test('an earlier refusal (e.g. a closed period) is not a booking: the run is still new', () => {
  expect(planRun([boeking(1, 0, 'failed', H1)], H1, 1)).toMatchObject({ kind: 'new', version: 1, post: [0], started: false });
});

test('a journal that changes back to earlier content gets a new version, not the old one', () => {
  const v1 = boeking(1, 0, 'posted', H1);
  const v2 = boeking(2, 0, 'posted', H2);
  const plan = planRun([v1, tegenboeking(v1, 'posted'), v2], H1, 1);
  expect(plan).toMatchObject({ kind: 'changed', version: 3, replaces: 2, reverse: [v2.key], post: [0], started: false });
});

test('a journal that becomes empty: only the reversal', () => {
  const v1 = boeking(1, 0, 'posted', H1);
  expect(planRun([v1], H2, 0)).toMatchObject({ kind: 'changed', version: 2, reverse: [v1.key], post: [] });
  expect(planRun([v1, tegenboeking(v1, 'posted')], H2, 0).kind).toBe('unchanged');
});

test('a fully corrected run is unchanged', () => {
  const v1 = boeking(1, 0, 'posted', H1);
  expect(planRun([v1, tegenboeking(v1, 'posted'), boeking(2, 0, 'posted', H2)], H2, 1).kind).toBe('unchanged');
});

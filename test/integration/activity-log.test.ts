/**
 * The activity log over HTTP against FerretDB: entries recorded through the store (as the
 * koppeling's activities do) and read back through GET /koppelingen/:id/activity with its filters
 * and cursor; expired entries are never listed and are purged; nothing secret is stored.
 */
import { GOOD_TOKEN, TEST_TYPE } from '../support/test-koppeling';
import type { ActivityLogInput } from '../../src/store/activity-log';
import { Harness } from './harness';

jest.setTimeout(120_000);

const h = new Harness();
let key: string;
let otherKey: string;
let kid: string;

beforeAll(async () => {
  await h.start({ worker: 'none' });
  key = await h.tenant('acme');
  otherKey = await h.tenant('other');
  const created = await h.call('POST', '/koppelingen', { key, body: { type: TEST_TYPE, name: 'activity', settings: {}, credentials: { testsys: { apiToken: GOOD_TOKEN } }, start: false } });
  expect(created.status).toBe(201);
  kid = created.body.id;
});

afterAll(() => h.stop());

const base = Date.parse('2026-11-30T10:00:00Z');
const entry = (i: number, over: Partial<ActivityLogInput> = {}): ActivityLogInput => ({
  tenantId: 'acme',
  koppelingId: kid,
  flow: ['products', 'customers', 'orders'][i % 3],
  itemKey: `item-${i}`,
  status: i % 4 === 0 ? 'failed' : 'ok',
  source: { Number: `SKU-${i}` },
  pushed: { inventoryNumber: `SKU-${i}` },
  answer: { status: 201, location: `/v1/inventory/SKU-${i}` },
  cycleNo: 1,
  at: new Date(Math.min(base + i * 60_000, Date.now() - 1000)),
  ...over,
});

test('records in bulk; filters by flow, status, time; cursor pages without gaps or repeats', async () => {
  // Recent enough to be inside the 30-day retention whatever today is.
  const now = Date.now();
  await h.deps.activityLog.record(Array.from({ length: 30 }, (_, i) => entry(i, { at: new Date(now - (30 - i) * 60_000) })));

  const all = await h.call('GET', `/koppelingen/${kid}/activity?limit=500`, { key });
  expect(all.status).toBe(200);
  expect(all.body.items).toHaveLength(30);
  expect(all.body.items[0].itemKey).toBe('item-29'); // newest first
  expect(all.body.items[0]).not.toHaveProperty('expiresAt');

  const products = await h.call('GET', `/koppelingen/${kid}/activity?flow=products&status=failed`, { key });
  expect(products.body.items.map((e: { itemKey: string }) => e.itemKey).sort()).toEqual(['item-0', 'item-12', 'item-24']);

  const from = new Date(now - 10 * 60_000).toISOString();
  const to = new Date(now - 5 * 60_000).toISOString();
  const window = await h.call('GET', `/koppelingen/${kid}/activity?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`, { key });
  expect(window.body.items.map((e: { itemKey: string }) => e.itemKey)).toEqual(['item-25', 'item-24', 'item-23', 'item-22', 'item-21', 'item-20']);

  const seen: string[] = [];
  let cursor: string | null = null;
  do {
    const page: { status: number; body: { items: { itemKey: string }[]; nextCursor: string | null } } = await h.call('GET', `/koppelingen/${kid}/activity?limit=7${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { key });
    expect(page.status).toBe(200);
    seen.push(...page.body.items.map((e) => e.itemKey));
    cursor = page.body.nextCursor;
  } while (cursor);
  expect(seen).toEqual(all.body.items.map((e: { itemKey: string }) => e.itemKey));
});

test('bad parameters are 400 naming the field; another tenant is 403', async () => {
  for (const [q, field] of [
    ['status=done', 'query.status'],
    ['from=yesterday', 'query.from'],
    ['limit=0', 'query.limit'],
    ['cursor=abc', 'query.cursor'],
    ['flow=Orders!', 'query.flow'],
    ['colour=red', 'query'],
    ['from=2026-12-02&to=2026-12-01', 'query.from'],
  ]) {
    const res = await h.call('GET', `/koppelingen/${kid}/activity?${q}`, { key });
    expect(res.status).toBe(400);
    expect(res.body.issues.map((i: { field: string }) => i.field)).toContain(field);
  }
  expect((await h.call('GET', `/koppelingen/${kid}/activity`, { key: otherKey })).status).toBe(403);
  expect((await h.call('GET', `/koppelingen/k_nope/activity`, { key })).status).toBe(404);
});

test('an expired entry is never listed and is purged (FerretDB has no TTL monitor)', async () => {
  const old = entry(100, { itemKey: 'expired-item', flow: 'retention', at: new Date(Date.now() - 2 * 86_400_000) });
  const fresh = entry(101, { itemKey: 'fresh-item', flow: 'retention', at: new Date() });
  await h.deps.activityLog.record([old, fresh], { retentionDays: 1 });
  const res = await h.call('GET', `/koppelingen/${kid}/activity?flow=retention`, { key });
  expect(res.body.items.map((e: { itemKey: string }) => e.itemKey)).toEqual(['fresh-item']);
  await h.deps.activityLog.purgeExpired(kid, true);
  expect(await h.deps.store.c.activityLog.countDocuments({ itemKey: 'expired-item' })).toBe(0);
  expect(await h.deps.store.c.activityLog.countDocuments({ itemKey: 'fresh-item' })).toBe(1);
});

test('the koppeling setting activityRetentionDays sets expiresAt (default 30 days)', async () => {
  await h.deps.activityLog.record([entry(200, { itemKey: 'r30', flow: 'ret2', at: new Date() })]);
  const doc = await h.deps.store.c.activityLog.findOne({ itemKey: 'r30' });
  expect(Math.round((doc!.expiresAt.getTime() - doc!.at.getTime()) / 86_400_000)).toBe(30);
  await h.deps.store.c.koppelingen.updateOne({ _id: kid }, { $set: { 'settings.activityRetentionDays': 7 } });
  await h.deps.activityLog.record([entry(201, { itemKey: 'r7', flow: 'ret2', at: new Date() })]);
  const doc7 = await h.deps.store.c.activityLog.findOne({ itemKey: 'r7' });
  expect(Math.round((doc7!.expiresAt.getTime() - doc7!.at.getTime()) / 86_400_000)).toBe(7);
});

test('no credentials or tokens are stored or served', async () => {
  const marker = 'mk-secret-7f3a9c';
  await h.deps.activityLog.record([
    entry(300, {
      itemKey: 'secretive',
      flow: 'secrets',
      source: { Name: 'ok', credentials: { clientSecret: marker }, password: marker },
      pushed: { headers: { authorization: `Bearer ${marker}` } },
      answer: { access_token: marker, note: `retry with Bearer ${marker}` },
      message: `token Bearer ${marker} refused`,
    }),
  ]);
  const raw = await h.deps.store.c.activityLog.findOne({ itemKey: 'secretive' });
  expect(JSON.stringify(raw)).not.toContain(marker);
  const res = await h.call('GET', `/koppelingen/${kid}/activity?flow=secrets`, { key });
  expect(res.body.items).toHaveLength(1);
  expect(JSON.stringify(res.body)).not.toContain(marker);
  expect(res.body.items[0].source.Name).toBe('ok');
});

/**
 * Connections over the API against FerretDB: create/list/get/put, reuse of identical credentials,
 * tenant isolation, POST /koppelingen with inline credentials or a connection id, two koppelingen
 * on one connection, and the start-up migration of per-koppeling credentials.
 */
import { MongoClient } from 'mongodb';
import { makeKeyring, seal } from '../../src/domain/crypto';
import { CredentialStore } from '../../src/store/credentials';
import { connectStore } from '../../src/store/mongo';
import { GOOD_TOKEN, TEST_TYPE } from '../support/test-koppeling';
import { Harness, waitFor } from './harness';

jest.setTimeout(120_000);

const h = new Harness();
let keyA: string;
let keyB: string;

beforeAll(async () => {
  await h.start();
  keyA = await h.tenant('acme');
  keyB = await h.tenant('bakkerij');
});
afterAll(() => h.stop());

const koppelingBody = (over: Record<string, unknown> = {}) => ({
  type: TEST_TYPE,
  name: 'Test koppeling',
  settings: { requiredCode: 'A1', items: 2 },
  mapping: { X: 'A1' },
  cadence: { kind: 'daily', at: '06:00' },
  ...over,
});

test('a static connection: created once, reused when identical, never shows its secret, other tenants get 403', async () => {
  const a = await h.call('POST', '/connections', { key: keyA, body: { system: 'testsys', name: 'Testsysteem', credentials: { apiToken: 'token-one-1234' } } });
  expect(a.status).toBe(201);
  expect(a.body).toMatchObject({ tenantId: 'acme', system: 'testsys', kind: 'static', fields: ['apiToken'], health: { authorized: true, logo: 'colour' }, koppelingen: [] });
  expect(a.body.id).toMatch(/^c_/);
  expect(JSON.stringify(a.body)).not.toContain('token-one-1234');

  const again = await h.call('POST', '/connections', { key: keyA, body: { system: 'testsys', credentials: { apiToken: 'token-one-1234' } } });
  expect(again.status).toBe(200);
  expect(again.body.id).toBe(a.body.id);

  // The same secret at another tenant is another connection.
  const b = await h.call('POST', '/connections', { key: keyB, body: { system: 'testsys', credentials: { apiToken: 'token-one-1234' } } });
  expect(b.status).toBe(201);
  expect(b.body.id).not.toBe(a.body.id);

  expect((await h.call('GET', `/connections/${a.body.id}`, { key: keyB })).status).toBe(403);
  expect((await h.call('PUT', `/connections/${a.body.id}`, { key: keyB, body: { name: 'x' } })).status).toBe(403);
  expect((await h.call('GET', '/connections?tenantId=acme', { key: keyB })).status).toBe(403);
  const listB = await h.call('GET', '/connections', { key: keyB });
  expect(listB.body.items.map((c: { id: string }) => c.id)).toEqual([b.body.id]);
  const listA = await h.call('GET', '/connections', { key: keyA });
  expect(JSON.stringify(listA.body)).not.toContain('token-one-1234');

  const raw = await h.deps.store.db.collection('connections').findOne({ _id: a.body.id });
  expect(JSON.stringify(raw)).not.toContain('token-one-1234'); // sealed at rest
});

test('bad input gets 400 with field and reason', async () => {
  const short = await h.call('POST', '/connections', { key: keyA, body: { system: 'testsys', credentials: { apiToken: 'x' } } });
  expect(short.status).toBe(400);
  expect(short.body.issues).toEqual([expect.objectContaining({ field: 'credentials.apiToken' })]);
  const unknown = await h.call('POST', '/connections', { key: keyA, body: { system: 'nope', credentials: {} } });
  expect(unknown.status).toBe(400);
  expect(unknown.body.issues[0].field).toBe('system');
  const extra = await h.call('POST', '/connections', { key: keyA, body: { system: 'testsys', secret: 1 } });
  expect(extra.status).toBe(400);
  const op = await h.call('POST', '/connections', { body: { system: 'testsys', credentials: { apiToken: GOOD_TOKEN } } });
  expect(op.status).toBe(400);
  expect(op.body.issues[0].field).toBe('tenantId');
});

test('POST /koppelingen with inline credentials makes the connection or reuses an identical one; a second koppeling can share it by id', async () => {
  const conn = await h.call('POST', '/connections', { key: keyA, body: { system: 'testsys', name: 'Gedeeld', credentials: { apiToken: GOOD_TOKEN } } });
  expect([200, 201]).toContain(conn.status);
  const k1 = await h.call('POST', '/koppelingen', { key: keyA, body: koppelingBody({ credentials: { testsys: { apiToken: GOOD_TOKEN } } }) });
  expect(k1.status).toBe(201);
  expect(k1.body.connections).toEqual({ testsys: conn.body.id });

  const k2 = await h.call('POST', '/koppelingen', { key: keyA, body: koppelingBody({ name: 'Tweede', connections: { testsys: conn.body.id } }) });
  expect(k2.status).toBe(201);
  expect(k2.body.connections).toEqual({ testsys: conn.body.id });

  // Both run with the one connection's credentials.
  for (const id of [k1.body.id, k2.body.id]) {
    await waitFor(async () => (await h.call('GET', `/koppelingen/${id}`)).body.live?.lastCycle?.result === 'ok', 60_000, `first cycle of ${id}`);
  }
  const got = await h.call('GET', `/connections/${conn.body.id}`, { key: keyA });
  expect(got.body.koppelingen.sort()).toEqual([k1.body.id, k2.body.id].sort());

  // Another tenant's connection, or one of another system, cannot be used.
  const other = await h.call('POST', '/connections', { key: keyB, body: { system: 'testsys', credentials: { apiToken: 'bakkerij-token-1' } } });
  const refused = await h.call('POST', '/koppelingen', { key: keyA, body: koppelingBody({ connections: { testsys: other.body.id } }) });
  expect(refused.status).toBe(400);
  expect(refused.body.issues).toEqual([{ field: 'connections.testsys', reason: `unknown connection "${other.body.id}"` }]);
  const both = await h.call('POST', '/koppelingen', { key: keyA, body: koppelingBody({ connections: { testsys: conn.body.id }, credentials: { testsys: { apiToken: GOOD_TOKEN } } }) });
  expect(both.status).toBe(400);

  // New credentials on the connection: every koppeling on it gets a new credentials version (reauthorized).
  const before = await Promise.all([k1, k2].map(async (k) => (await h.call('GET', `/koppelingen/${k.body.id}`)).body.credentialsVersion));
  const put = await h.call('PUT', `/connections/${conn.body.id}`, { key: keyA, body: { credentials: { apiToken: `${GOOD_TOKEN}` }, name: 'Hernoemd' } });
  expect(put.status).toBe(200);
  expect(put.body.name).toBe('Hernoemd');
  expect(put.body.version).toBeGreaterThan(conn.body.version);
  const after = await Promise.all([k1, k2].map(async (k) => (await h.call('GET', `/koppelingen/${k.body.id}`)).body.credentialsVersion));
  expect(after[0]).toBe(before[0] + 1);
  expect(after[1]).toBe(before[1] + 1);
  const badPut = await h.call('PUT', `/connections/${conn.body.id}`, { key: keyA, body: { credentials: { apiToken: 'short' } } });
  expect(badPut.status).toBe(400);
  expect(badPut.body.issues[0].field).toBe('credentials.apiToken');

  // PUT /koppelingen/:id/credentials (as before) moves that one koppeling to a connection with the new secret.
  const moved = await h.call('PUT', `/koppelingen/${k2.body.id}/credentials`, { key: keyA, body: { system: 'testsys', credentials: { apiToken: 'another-good-token' } } });
  expect(moved.status).toBe(200);
  const k2now = (await h.call('GET', `/koppelingen/${k2.body.id}`)).body;
  expect(k2now.connections.testsys).not.toBe(conn.body.id);
  expect((await h.call('GET', `/koppelingen/${k1.body.id}`)).body.connections.testsys).toBe(conn.body.id);
});

test('start-up migration: per-koppeling credentials become connections; no loss, no duplicates, safe to rerun and to run twice at once', async () => {
  const db = h.deps.store.db;
  const ring = makeKeyring(h.config.KOPPELWERK_CREDENTIALS_KEY_ID, h.config.KOPPELWERK_CREDENTIALS_KEY);
  const legacy = [
    { k: 'k_old1', tenant: 'acme', secret: { apiToken: 'legacy-shared-1' } },
    { k: 'k_old2', tenant: 'acme', secret: { apiToken: 'legacy-shared-1' } }, // identical: one connection
    { k: 'k_old3', tenant: 'acme', secret: { apiToken: 'legacy-other-22' } },
    { k: 'k_old4', tenant: 'bakkerij', secret: { apiToken: 'legacy-shared-1' } }, // other tenant: its own
  ];
  const now = new Date();
  for (const l of legacy) {
    // Documents as the code before connections wrote them.
    await db.collection('koppelingen').insertOne({
      _id: l.k as never,
      tenantId: l.tenant,
      type: TEST_TYPE,
      name: l.k,
      settings: { requiredCode: 'A1', items: 1 },
      cadence: { kind: 'daily', at: '06:00' },
      mapping: {},
      closedPeriods: [],
      lifecycle: 'unlinked',
      version: 1,
      credentialsVersion: 1,
      status: { state: 'ACTIVE', updatedAt: now },
      createdAt: now,
      updatedAt: now,
    });
    const box = seal(ring, l.secret, `koppelwerk:credentials:${l.k}:testsys`);
    await db.collection('credentials').insertOne({ _id: `${l.k}:testsys` as never, koppelingId: l.k, tenantId: l.tenant, system: 'testsys', keyId: box.keyId, data: box.data, version: 1, updatedAt: now });
  }
  // Before the migration, activities still read the old documents.
  expect(await h.deps.credentials.read('k_old1', 'testsys')).toEqual({ apiToken: 'legacy-shared-1' });

  // A crash midway: k_old1's connection exists but k_old1 does not refer to it yet.
  await h.deps.credentials.connections.ensureStatic('acme', 'testsys', { apiToken: 'legacy-shared-1' });

  // Two processes at once, each with its own MongoDB client, then once more.
  const stores = await Promise.all([1, 2].map(() => connectStore(h.config.MONGODB_URI, h.config.MONGODB_DB)));
  try {
    await Promise.all(stores.map((s) => new CredentialStore(s, ring).migrate()));
  } finally {
    await Promise.all(stores.map((s) => s.close()));
  }
  const rerun = await h.deps.credentials.migrate();
  expect(rerun.migrated).toBe(0);

  const ks = await db.collection('koppelingen').find({ _id: { $in: legacy.map((l) => l.k) as never[] } }).toArray();
  const ref = Object.fromEntries(ks.map((k) => [k._id, (k as { connections?: Record<string, string> }).connections?.testsys]));
  expect(ref.k_old1).toBeDefined();
  expect(ref.k_old2).toBe(ref.k_old1);
  expect(ref.k_old3).not.toBe(ref.k_old1);
  expect(ref.k_old4).not.toBe(ref.k_old1);
  const conns = await db.collection('connections').find({ _id: { $in: Object.values(ref) as never[] } }).toArray();
  expect(conns).toHaveLength(3);
  // No duplicate anywhere: one connection per (tenant, system, content).
  const all = await db.collection('connections').find({ system: 'testsys' }).toArray();
  const hashes = all.map((c) => `${c.tenantId}|${c.contentHash}`);
  expect(new Set(hashes).size).toBe(hashes.length);
  // No loss: every koppeling reads exactly its old secret, now through its connection.
  for (const l of legacy) expect(await h.deps.credentials.read(l.k, 'testsys')).toEqual(l.secret);
  // The old documents are kept, marked with where they went.
  const old = await db.collection('credentials').find({ _id: { $in: legacy.map((l) => `${l.k}:testsys`) as never[] } }).toArray();
  expect(old.map((d) => d.migratedTo).sort()).toEqual(legacy.map((l) => ref[l.k]).sort());
  const shared = await h.call('GET', `/connections/${ref.k_old1}`);
  expect(shared.body.koppelingen.sort()).toEqual(['k_old1', 'k_old2']);
});

test('no credential value reaches the connections API or MongoDB in the clear', async () => {
  const client = new MongoClient(h.config.MONGODB_URI);
  try {
    const docs = await client.db(h.config.MONGODB_DB).collection('connections').find({}).toArray();
    const text = JSON.stringify(docs);
    for (const secret of [GOOD_TOKEN, 'legacy-shared-1', 'token-one-1234']) expect(text).not.toContain(secret);
  } finally {
    await client.close();
  }
});

test('credentials refused in a cycle turn the static connection red with the reason; the others on it park too', async () => {
  const conn = await h.call('POST', '/connections', { key: keyA, body: { system: 'testsys', name: 'Verlopen', credentials: { apiToken: 'revoked-token-123' } } });
  expect(conn.status).toBe(201);
  const ids: string[] = [];
  for (let i = 0; i < 2; i++) {
    const k = await h.call('POST', '/koppelingen', { key: keyA, body: koppelingBody({ name: `Op verlopen ${i}`, connections: { testsys: conn.body.id }, start: i === 0 }) });
    expect(k.status).toBe(201);
    ids.push(k.body.id);
  }
  // The second is linked but has not run a cycle yet (daily, started after the refusal).
  const since = new Date(Date.now() - 1000);
  await waitFor(async () => ((await h.call('GET', `/koppelingen/${ids[0]}`)).body.live?.state === 'WAITING_REAUTH' ? true : undefined), 60_000, 'first parks');
  const c = await waitFor(async () => {
    const got = (await h.call('GET', `/connections/${conn.body.id}`, { key: keyA })).body;
    return got.health?.authorized === false ? got : undefined;
  }, 30_000, 'connection marked refused');
  expect(c.health.logo).toBe('red');
  expect(c.health.lastError).toMatch(/\S/);
  expect(JSON.stringify(c)).not.toContain('revoked-token-123');
  await h.call('POST', `/koppelingen/${ids[1]}/start`, { key: keyA });
  await h.api.ctx.connections!.parkRefused(since);
  await waitFor(async () => ((await h.call('GET', `/koppelingen/${ids[1]}`)).body.live?.state === 'WAITING_REAUTH' ? true : undefined), 60_000, 'second parks without a cycle');
});

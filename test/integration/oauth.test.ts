/**
 * OAuth2 connections end to end: the admin API, FerretDB, Temporal and the worker against the
 * platform's own OAuth2 provider simulator (test/support/oauth-provider.ts).
 */
import { makeKeyring } from '../../src/domain/crypto';
import { freePort } from '../../src/dev/processes';
import { OAuthStateStore } from '../../src/oauth/state';
import { registerOAuth2System } from '../../src/oauth/systems';
import { TokenService } from '../../src/oauth/tokens';
import { ConnectionStore, type OAuthTokens } from '../../src/store/connections';
import { connectStore, type Store } from '../../src/store/mongo';
import { registerTestOAuthKoppelingType, TEST_OAUTH_SYSTEM, TEST_OAUTH_TYPE } from '../support/oauth-koppeling';
import { startOAuthProvider, type OAuthProvider } from '../support/oauth-provider';
import { Harness, waitFor } from './harness';

jest.setTimeout(180_000);

const h = new Harness();
let provider: OAuthProvider;
let keyA: string;
let keyB: string;
let connId: string;
const koppelingen: string[] = [];

beforeAll(async () => {
  provider = await startOAuthProvider();
  registerOAuth2System(provider.def(TEST_OAUTH_SYSTEM));
  registerTestOAuthKoppelingType();
  const port = await freePort();
  await h.start({ env: { PORT: String(port), KOPPELWERK_PUBLIC_URL: `http://127.0.0.1:${port}` } });
  keyA = await h.tenant('acme');
  keyB = await h.tenant('bakkerij');
});
afterAll(async () => {
  await h.stop();
  await provider.close();
});

const ring = () => makeKeyring(h.config.KOPPELWERK_CREDENTIALS_KEY_ID, h.config.KOPPELWERK_CREDENTIALS_KEY);
const connection = async (id = connId) => (await h.call('GET', `/connections/${id}`, { key: keyA })).body;

/** The browser's trip: our authorize → provider → our callback. */
async function authorize(id: string, key: string) {
  const r1 = await fetch(`${h.url}/connections/${id}/authorize`, { headers: { 'x-api-key': key }, redirect: 'manual' });
  expect(r1.status).toBe(302);
  const atProvider = new URL(r1.headers.get('location')!);
  const r2 = await fetch(atProvider, { redirect: 'manual' });
  expect(r2.status).toBe(302);
  const callback = r2.headers.get('location')!;
  const r3 = await fetch(callback);
  return { atProvider, callback, status: r3.status, html: await r3.text() };
}

test('authorise: redirect with state and PKCE, code exchanged at the callback, tokens stored encrypted, a Dutch page', async () => {
  const created = await h.call('POST', '/connections', { key: keyA, body: { system: TEST_OAUTH_SYSTEM, name: 'Visma (test)' } });
  expect(created.status).toBe(201);
  connId = created.body.id;
  expect(created.body).toMatchObject({ kind: 'oauth2', health: { authorized: false, logo: 'grey' }, authorizeUrl: `${h.url.replace('localhost', '127.0.0.1')}/connections/${connId}/authorize` });
  expect((await h.call('POST', '/connections', { key: keyA, body: { system: TEST_OAUTH_SYSTEM, credentials: { accessToken: 'x' } } })).status).toBe(400);

  const trip = await authorize(connId, keyA);
  expect(trip.atProvider.origin).toBe(provider.url);
  expect(Object.fromEntries(trip.atProvider.searchParams)).toMatchObject({
    response_type: 'code',
    client_id: provider.clientId,
    scope: 'api offline_access',
    code_challenge_method: 'S256',
  });
  expect(trip.atProvider.searchParams.get('redirect_uri')).toMatch(/\/oauth\/callback$/);
  expect(trip.atProvider.searchParams.get('state')).toMatch(/^[A-Za-z0-9_-]{43}$/);
  expect(trip.status).toBe(200);
  expect(trip.html).toContain('Autorisatie gelukt, u kunt dit venster sluiten');
  expect(trip.html).not.toMatch(/at_|rt_/); // no token on the page
  expect(provider.lastPkce).toBe('ok');

  const c = await connection();
  expect(c.health).toMatchObject({ authorized: true, logo: 'colour', lastError: null });
  expect(Date.parse(c.health.expiresAt)).toBeGreaterThan(Date.now() + 50 * 60_000);
  expect(c.fields).toEqual(['accessToken', 'refreshToken', 'scope', 'tokenType']);
  const raw = JSON.stringify(await h.deps.store.db.collection('connections').findOne({ _id: connId as never }));
  expect(raw).not.toMatch(/at_|rt_/);

  // The state is single use: the same callback again is refused with a page saying what to do.
  const replay = await fetch(trip.callback);
  expect(replay.status).toBe(400);
  const text = await replay.text();
  expect(text).toContain('al gebruikt');
  expect(text).toContain('Start de autorisatie opnieuw');
});

test('state: bound to the tenant, unknown and expired states refused; a refused consent explained', async () => {
  expect((await fetch(`${h.url}/connections/${connId}/authorize`, { headers: { 'x-api-key': keyB }, redirect: 'manual' })).status).toBe(403);
  expect((await fetch(`${h.url}/connections/${connId}/authorize`, { redirect: 'manual' })).status).toBe(401);

  const unknown = await fetch(`${h.url}/oauth/callback?code=abc&state=made-up`);
  expect(unknown.status).toBe(400);
  expect(await unknown.text()).toContain('onbekend');

  const states = new OAuthStateStore(h.deps.store.db, ring());
  const old = await states.create({ tenantId: 'acme', connectionId: connId, system: TEST_OAUTH_SYSTEM, redirectUri: `${h.url}/oauth/callback`, pkce: true, now: new Date(Date.now() - 11 * 60_000) });
  const expired = await fetch(`${h.url}/oauth/callback?code=abc&state=${old.state}`);
  expect(expired.status).toBe(400);
  expect(await expired.text()).toContain('verlopen');

  provider.mode = 'deny';
  try {
    const denied = await authorize(connId, keyA);
    expect(denied.status).toBe(400);
    expect(denied.html).toContain('geweigerd');
  } finally {
    provider.mode = 'approve';
  }
  expect((await connection()).health.authorized).toBe(true); // a refused new consent leaves the old tokens
});

test('two koppelingen on one OAuth2 connection run with its token', async () => {
  for (const name of ['Eerste', 'Tweede']) {
    const k = await h.call('POST', '/koppelingen', { key: keyA, body: { type: TEST_OAUTH_TYPE, name, settings: {}, connections: { [TEST_OAUTH_SYSTEM]: connId } } });
    expect(k.status).toBe(201);
    koppelingen.push(k.body.id);
  }
  for (const id of koppelingen) {
    await waitFor(async () => (await h.call('GET', `/koppelingen/${id}`)).body.live?.lastCycle?.result === 'ok', 60_000, `first cycle of ${id}`);
  }
  expect((await connection()).koppelingen.sort()).toEqual([...koppelingen].sort());
  // Inline credentials for an OAuth2 system are refused: it needs a connection.
  const inline = await h.call('POST', '/koppelingen', { key: keyA, body: { type: TEST_OAUTH_TYPE, name: 'x', credentials: { [TEST_OAUTH_SYSTEM]: { accessToken: 'a' } } } });
  expect(inline.status).toBe(400);
  expect(inline.body.issues[0].field).toBe(`connections.${TEST_OAUTH_SYSTEM}`);
  const put = await h.call('PUT', `/koppelingen/${koppelingen[0]}/credentials`, { key: keyA, body: { system: TEST_OAUTH_SYSTEM, credentials: { accessToken: 'a' } } });
  expect(put.status).toBe(400);
  expect((await h.call('PUT', `/connections/${connId}`, { key: keyA, body: { credentials: { accessToken: 'a' } } })).status).toBe(400);
});

test('50 concurrent token requests at expiry, from 10 separate MongoDB clients: exactly one refresh, all get the new token', async () => {
  const db = h.deps.store.db;
  const before = provider.refreshCount;
  const attemptsBefore = provider.refreshAttempts;
  const oldToken = (await h.deps.credentials.read<{ accessToken: string }>(koppelingen[0], TEST_OAUTH_SYSTEM))!.accessToken;
  await db.collection('connections').updateOne({ _id: connId as never }, { $set: { 'health.expiresAt': new Date(Date.now() + 60_000) } }); // inside the 5-minute buffer
  provider.refreshDelayMs = 300; // a slow provider widens the race

  const stores: Store[] = await Promise.all(Array.from({ length: 10 }, () => connectStore(h.config.MONGODB_URI, h.config.MONGODB_DB)));
  let results: OAuthTokens[];
  try {
    // One token service per "worker process"; five activities on each.
    const services = Array.from({ length: 50 }, (_, i) => new TokenService(stores[i % 10].db, new ConnectionStore(stores[i % 10].db, ring()), { pollMs: 100 }));
    results = await Promise.all(services.map((s) => s.accessToken(connId)));
  } finally {
    provider.refreshDelayMs = 0;
    await Promise.all(stores.map((s) => s.close()));
  }
  expect(provider.refreshCount - before).toBe(1);
  expect(provider.refreshAttempts - attemptsBefore).toBe(1); // never a second refresh with a rotated token
  const tokens = new Set(results.map((r) => r.accessToken));
  expect(tokens.size).toBe(1);
  expect([...tokens][0]).not.toBe(oldToken);
  const me = await fetch(`${provider.url}/api/me`, { headers: { authorization: `Bearer ${[...tokens][0]}` } });
  expect(me.status).toBe(200);
  const c = await connection();
  expect(c.health.lastRefreshAt).not.toBeNull();
  expect(Date.parse(c.health.expiresAt)).toBeGreaterThan(Date.now() + 50 * 60_000);
  expect(await db.collection('locks').countDocuments({ _id: `refresh:${connId}` as never })).toBe(0);
});

test('a lock left by a crashed process is taken over after it expired', async () => {
  const db = h.deps.store.db;
  const before = provider.refreshCount;
  await db.collection('connections').updateOne({ _id: connId as never }, { $set: { 'health.expiresAt': new Date(Date.now() - 1000) } });
  await db.collection('locks').insertOne({ _id: `refresh:${connId}` as never, holder: 'crashed-worker', expiresAt: new Date(Date.now() - 1000) });
  const t = await h.deps.credentials.tokens.accessToken(connId);
  expect(provider.refreshCount - before).toBe(1);
  expect((await fetch(`${provider.url}/api/me`, { headers: { authorization: `Bearer ${t.accessToken}` } })).status).toBe(200);
});

test('invalid_grant: the connection becomes unauthorised and every koppeling on it parks in WAITING_REAUTH with the authorise link; authorising again resumes them', async () => {
  provider.revokeAll(); // e.g. the user changed the password at the provider
  await h.deps.store.db.collection('connections').updateOne({ _id: connId as never }, { $set: { 'health.expiresAt': new Date(Date.now() - 1000) } });
  const since = new Date(Date.now() - 1000);
  // Only the first koppeling runs a cycle and meets the refusal...
  const [first, ...others] = koppelingen;
  expect((await h.call('POST', `/koppelingen/${first}/sync`, { key: keyA, body: {} })).status).toBeLessThan(300);
  const k = await waitFor(async () => {
    const b = (await h.call('GET', `/koppelingen/${first}`)).body;
    return b.live?.state === 'WAITING_REAUTH' && b.status?.state === 'WAITING_REAUTH' ? b : undefined;
  }, 60_000, `WAITING_REAUTH of ${first}`);
  expect(k.live.lastCycle.error.oplossing).toContain(`/connections/${connId}/authorize`);
  // ...the others park at the reconciler's next pass, without a cycle of their own.
  expect(await h.api.ctx.connections!.parkRefused(since)).toBeGreaterThanOrEqual(others.length);
  for (const id of others) {
    const b = await waitFor(async () => {
      const v = (await h.call('GET', `/koppelingen/${id}`)).body;
      return v.live?.state === 'WAITING_REAUTH' ? v : undefined;
    }, 60_000, `WAITING_REAUTH of ${id} without a cycle`);
    expect(b.live.blockingReason).toContain(`/connections/${connId}/authorize`);
    expect(b.live.blockingReason).toContain('invalid_grant');
  }
  const c = await connection();
  expect(c.health).toMatchObject({ authorized: false, logo: 'red' });
  expect(c.health.lastError).toContain('invalid_grant');
  expect(provider.refreshCount).toBeGreaterThan(0);

  const trip = await authorize(connId, keyA);
  expect(trip.html).toContain('Autorisatie gelukt');
  for (const id of koppelingen) {
    await waitFor(async () => {
      const b = (await h.call('GET', `/koppelingen/${id}`)).body;
      return b.live?.state === 'ACTIVE' && b.live?.lastCycle?.result === 'ok';
    }, 60_000, `${id} running again after reauthorisation`);
  }
  expect((await connection()).health).toMatchObject({ authorized: true, logo: 'colour', lastError: null });
});

/**
 * Tenant monitoring webhooks against the real stack: a local HTTP receiver stands in for the
 * tenant. Signatures verify with the secret shown once; a receiver that fails twice gets the
 * notification once more and then accepts it, with every attempt visible in GET /notifications;
 * a koppeling parked in WAITING_REAUTH (and then BLOCKED_MAPPING) notifies once per parking.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { createRuntimeActivities } from '../../activities/runtime';
import { attemptDelivery, notifyTenant, verifyWebhook } from '../../src/platform/notify';
import { GOOD_TOKEN, TEST_TYPE } from '../support/test-koppeling';
import { Harness, waitFor } from './harness';

jest.setTimeout(120_000);

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  answered: number;
}

const h = new Harness();
let receiver: Server;
let receiverUrl: string;
const received: Received[] = [];
/** Per event kind: how many requests to refuse with 500 before answering 204. */
const failFirst: Record<string, number> = {};
let key: string;
let otherKey: string;
let secret: string;

beforeAll(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const kind = (JSON.parse(body) as { kind: string }).kind;
      const answered = (failFirst[kind] ?? 0) > 0 ? 500 : 204;
      if (answered === 500) failFirst[kind]--;
      received.push({ headers: req.headers, body, answered });
      res.writeHead(answered).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
  const addr = receiver.address();
  receiverUrl = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/hooks/koppelwerk`;
  // Short back-off so the retries happen within the test; the dispatcher polls at this interval.
  await h.start({ env: { KOPPELWERK_NOTIFY_RETRY_BASE_MS: '200' } });
  key = await h.tenant('acme');
  otherKey = await h.tenant('other');
});

afterAll(async () => {
  await h.stop();
  await new Promise<void>((r) => receiver.close(() => r()));
});

const ofKind = (kind: string) => received.filter((r) => (JSON.parse(r.body) as { kind: string }).kind === kind);

async function notifications(query = '', k = key) {
  const res = await h.call('GET', `/notifications${query ? `?${query}` : ''}`, { key: k });
  expect(res.status).toBe(200);
  return res.body.items as Array<Record<string, any>>;
}

test('a tenant sets its webhook; the secret is shown once; bad URLs are 400; other tenants 403', async () => {
  const bad = await h.call('PUT', '/tenants/acme/webhook', { key, body: { url: 'ftp://example.org/x' } });
  expect(bad.status).toBe(400);
  expect(bad.body.issues[0].field).toBe('url');
  const withUser = await h.call('PUT', '/tenants/acme/webhook', { key, body: { url: 'https://user:pw@example.org/x' } });
  expect(withUser.status).toBe(400);
  expect((await h.call('PUT', '/tenants/acme/webhook', { key: otherKey, body: { url: receiverUrl } })).status).toBe(403);

  const set = await h.call('PUT', '/tenants/acme/webhook', { key, body: { url: receiverUrl } });
  expect(set.status).toBe(200);
  expect(set.body.secret).toMatch(/^whsec_/);
  secret = set.body.secret;
  const again = await h.call('PUT', '/tenants/acme/webhook', { key, body: { url: receiverUrl } });
  expect(again.body).not.toHaveProperty('secret');
  const view = await h.call('GET', '/tenants/acme/webhook', { key });
  expect(view.body).toMatchObject({ configured: true, url: receiverUrl });
  expect(JSON.stringify(view.body)).not.toContain(secret);
  // Stored sealed, never in the clear.
  expect(JSON.stringify(await h.deps.store.c.tenantWebhooks.find({}).toArray())).not.toContain(secret);
});

test('a receiver failing twice then succeeding gets it once, attempts visible; same dedupe key is one notification', async () => {
  failFirst.cycle_failed = 2;
  const event = { tenantId: 'acme', koppelingId: 'k_direct', kind: 'cycle_failed' as const, dedupeKey: 'k_direct/cycle-7', message: 'Synchronisatie #7 mislukt: Visma.net antwoordde 500.' };
  await notifyTenant(h.deps, event);
  await notifyTenant(h.deps, event); // an activity retried after a crash
  const delivered = await waitFor(async () => (await notifications('kind=cycle_failed')).find((n) => n.status === 'delivered'), 30_000, 'delivered');
  expect(delivered).toMatchObject({ attempts: 3, lastHttpStatus: 204, koppelingId: 'k_direct', nextAttemptAt: null });
  expect(delivered.attemptsLog.map((a: { httpStatus: number }) => a.httpStatus)).toEqual([500, 500, 204]);
  expect(await notifications('kind=cycle_failed')).toHaveLength(1);

  const got = ofKind('cycle_failed');
  expect(got.map((r) => r.answered)).toEqual([500, 500, 204]);
  // The same event id every time (the receiver de-duplicates on it), attempts counted up.
  expect(new Set(got.map((r) => r.headers['koppelwerk-event-id'])).size).toBe(1);
  expect(got.map((r) => r.headers['koppelwerk-attempt'])).toEqual(['1', '2', '3']);
  for (const r of got) {
    expect(verifyWebhook(secret, { timestamp: r.headers['koppelwerk-timestamp'] as string, signature: r.headers['koppelwerk-signature'] as string }, r.body)).toBe(true);
    expect(verifyWebhook('whsec_wrong', { timestamp: r.headers['koppelwerk-timestamp'] as string, signature: r.headers['koppelwerk-signature'] as string }, r.body)).toBe(false);
  }
  expect(JSON.parse(got[2].body)).toMatchObject({ kind: 'cycle_failed', tenantId: 'acme', koppelingId: 'k_direct', message: event.message });

  // Tenant-scoped: another tenant sees none of it.
  expect(await notifications('', otherKey)).toHaveLength(0);
  expect((await h.call('GET', '/notifications?tenantId=acme', { key: otherKey })).status).toBe(403);
  expect((await h.call('GET', '/notifications?status=sent', { key })).status).toBe(400);
});

test('a koppeling parked in WAITING_REAUTH notifies once; BLOCKED_MAPPING after new credentials notifies too', async () => {
  const created = await h.call('POST', '/koppelingen', {
    key,
    body: { type: TEST_TYPE, name: 'monitored', settings: { requiredCode: 'A1', items: 1 }, mapping: {}, credentials: { testsys: { apiToken: 'expired-token' } }, cadence: { kind: 'daily', at: '06:00' } },
  });
  expect(created.status).toBe(201);
  const id = created.body.id as string;
  const waiting = await waitFor(
    async () => (await notifications(`koppelingId=${id}&kind=waiting`)).find((n) => n.state === 'WAITING_REAUTH' && n.status === 'delivered'),
    60_000,
    'WAITING_REAUTH notification',
  );
  expect(waiting.message).toContain('Vul een geldig token in');
  const got = ofKind('waiting');
  expect(got).toHaveLength(1);
  expect(JSON.parse(got[0].body)).toMatchObject({ koppelingId: id, state: 'WAITING_REAUTH' });
  expect(verifyWebhook(secret, { timestamp: got[0].headers['koppelwerk-timestamp'] as string, signature: got[0].headers['koppelwerk-signature'] as string }, got[0].body)).toBe(true);

  // The state written again while parked (as after a continue-as-new) is no new notification.
  const runtime = createRuntimeActivities(h.deps);
  await runtime.recordStatus({ tenantId: 'acme', koppelingId: id, status: { state: 'WAITING_REAUTH', blockingReason: 'nog steeds' } });
  expect((await notifications(`koppelingId=${id}`)).length).toBe(1);

  // New credentials: the next cycle parks in BLOCKED_MAPPING, a new parking, a new notification.
  expect((await h.call('PUT', `/koppelingen/${id}/credentials`, { key, body: { system: 'testsys', credentials: { apiToken: GOOD_TOKEN } } })).status).toBe(200);
  const blocked = await waitFor(
    async () => (await notifications(`koppelingId=${id}`)).find((n) => n.state === 'BLOCKED_MAPPING' && n.status === 'delivered'),
    60_000,
    'BLOCKED_MAPPING notification',
  );
  expect(blocked.message).toContain('A1');
  expect(ofKind('waiting')).toHaveLength(2);
  // Nothing secret in what the tenant or the store sees.
  const all = JSON.stringify([received.map((r) => r.body), await h.deps.store.c.notifications.find({}).toArray()]);
  expect(all).not.toContain(GOOD_TOKEN);
  expect(all).not.toContain(secret);
});

test('senders racing for one attempt (worker, dispatcher, a second API) send it once', async () => {
  const { doc } = await h.deps.notifications.enqueue(
    { tenantId: 'acme', koppelingId: 'k_race', kind: 'item_failed', dedupeKey: 'k_race/orders/7', message: 'Order 7 mislukt.', flow: 'orders', itemKey: '7' },
    true,
  );
  const results = await Promise.all(Array.from({ length: 6 }, () => attemptDelivery(h.deps, doc._id)));
  const n = await waitFor(async () => (await h.deps.notifications.get(doc._id))?.status === 'delivered' && h.deps.notifications.get(doc._id), 30_000, 'delivered');
  expect(n).toMatchObject({ attempts: 1 });
  expect(results.filter((r) => r === 'delivered').length).toBeLessThanOrEqual(1);
  expect(received.filter((r) => (JSON.parse(r.body) as { koppelingId: string }).koppelingId === 'k_race')).toHaveLength(1);
});

test('without a webhook a notification is kept as no_webhook and never sent', async () => {
  await h.tenant('nohook');
  await notifyTenant(h.deps, { tenantId: 'nohook', koppelingId: 'k_x', kind: 'item_failed', dedupeKey: 'k_x/orders/1042', message: 'Order 1042 wacht: SKU-9 ontbreekt in Visma.net.', flow: 'orders', itemKey: '1042' });
  const items = await notifications('tenantId=nohook', h.operatorKey);
  expect(items).toHaveLength(1);
  expect(items[0]).toMatchObject({ status: 'no_webhook', attempts: 0, flow: 'orders', itemKey: '1042' });
});

/**
 * The platform end to end: admin API over HTTP → MongoDB (FerretDB) → Temporal dev server → worker,
 * with the test-only koppeling type. No mocks.
 */
import { execFileSync } from 'node:child_process';
import { toolBinary } from '../../src/dev/processes';
import { koppelingWorkflowId } from '../../workflows/koppeling';
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

const body = (over: Record<string, unknown> = {}) => ({
  type: TEST_TYPE,
  name: 'Test koppeling',
  settings: { requiredCode: 'A1', items: 4 },
  mapping: { X: 'A1' },
  credentials: { testsys: { apiToken: GOOD_TOKEN } },
  cadence: { kind: 'daily', at: '06:00' },
  ...over,
});

async function live(id: string, key?: string) {
  return (await h.call('GET', `/koppelingen/${id}`, { key })).body;
}

async function untilState(id: string, state: string, cycleNo?: number) {
  return waitFor(async () => {
    const k = await live(id);
    // The MongoDB mirror (status) is written by an activity after the workflow's own state changes:
    // wait for both, not just the live query.
    const ok =
      k.live?.state === state && k.status?.state === state && (cycleNo === undefined || k.live?.lastCycle?.cycleNo === cycleNo);
    return ok ? k : undefined;
  }, 60_000, `state ${state}${cycleNo ? ` after cycle ${cycleNo}` : ''} of ${id}`);
}

test('healthz reports MongoDB and Temporal up', async () => {
  const res = await h.call('GET', '/healthz', { key: null });
  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({ status: 'ok', mongodb: { ok: true }, temporal: { ok: true } });
});

test('a koppeling created through the API runs, is listed by Temporal with its search attributes, and logs', async () => {
  const res = await h.call('POST', '/koppelingen', { body: body(), key: keyA });
  expect(res.status).toBe(201);
  const id = res.body.id as string;
  expect(res.body.tenantId).toBe('acme');
  expect(JSON.stringify(res.body)).not.toContain(GOOD_TOKEN);

  const k = await untilState(id, 'ACTIVE', 1);
  expect(k.live.lastCycle).toMatchObject({ result: 'ok', counts: { items: 4 } });
  expect(k.status.state).toBe('ACTIVE'); // mirrored in MongoDB

  const log = await h.call('GET', `/koppelingen/${id}/log?limit=10`, { key: keyA });
  expect(log.status).toBe(200);
  expect(log.body.items.map((i: { code: string }) => i.code)).toEqual(expect.arrayContaining(['CYCLE_OK', 'TEST_ITEMS']));
  expect(log.body.items.find((i: { code: string }) => i.code === 'CYCLE_OK').message).toContain('4 items gesynchroniseerd');

  // The real CLI lists it, filtered by our search attributes.
  const listed = await waitFor(async () => {
    const out = execFileSync(
      toolBinary('temporal'),
      ['workflow', 'list', '--address', h.config.TEMPORAL_ADDRESS, '--query', `TenantId="acme" AND KoppelingType="${TEST_TYPE}" AND KoppelingState="ACTIVE"`, '--output', 'json'],
      { encoding: 'utf8' },
    );
    const rows = JSON.parse(out || '[]') as Array<{ execution: { workflowId: string } }>;
    return rows.find((r) => r.execution.workflowId === koppelingWorkflowId('acme', id));
  }, 30_000, 'temporal workflow list');
  expect(listed).toBeTruthy();
  const desc = await h.client.workflow.getHandle(koppelingWorkflowId('acme', id)).describe();
  expect(desc.typedSearchAttributes.getAll().map((p) => p.key.name)).toEqual(expect.arrayContaining(['TenantId', 'KoppelingType', 'KoppelingState', 'LastSyncAt']));
});

test('pause, resume, sync now and stop through the API', async () => {
  // The operator must say which tenant: 400 naming the field.
  const noTenant = await h.call('POST', '/koppelingen', { body: body() });
  expect(noTenant.status).toBe(400);
  expect(noTenant.body.issues).toEqual([{ field: 'tenantId', reason: 'Required' }]);
  const created = await h.call('POST', '/koppelingen', { body: body({ tenantId: 'acme' }) });
  const kid = created.body.id as string;
  await untilState(kid, 'ACTIVE', 1);

  const paused = await h.call('POST', `/koppelingen/${kid}/pause`, { body: { reason: 'jaarafsluiting' }, key: keyA });
  expect(paused.status).toBe(200);
  await untilState(kid, 'PAUSED');
  const again = await h.call('POST', `/koppelingen/${kid}/pause`, { body: {}, key: keyA });
  expect(again.status).toBe(409);
  expect(again.body.error).toMatch(/al gepauzeerd/);
  expect((await h.call('POST', `/koppelingen/${kid}/sync`, { body: {}, key: keyA })).status).toBe(409);

  expect((await h.call('POST', `/koppelingen/${kid}/resume`, { key: keyA })).status).toBe(200);
  await untilState(kid, 'ACTIVE');
  const sync = await h.call('POST', `/koppelingen/${kid}/sync`, { body: { reason: 'test' }, key: keyA });
  expect(sync.status).toBe(202);
  await untilState(kid, 'ACTIVE', 2);

  expect((await h.call('POST', `/koppelingen/${kid}/stop`, { key: keyA })).status).toBe(200);
  await waitFor(async () => (await live(kid)).status.state === 'STOPPED', 30_000, 'STOPPED');
  const after = await live(kid);
  expect(after.lifecycle).toBe('unlinked');
  expect(after.live).toBeNull();
  // Linking again continues the same koppeling.
  expect((await h.call('POST', `/koppelingen/${kid}/start`, { key: keyA })).status).toBe(200);
  await untilState(kid, 'ACTIVE', 1);
});

test('bad bodies give 400 with every field and reason', async () => {
  const res = await h.call('POST', '/koppelingen', {
    body: { tenantId: 'acme', type: TEST_TYPE, name: '', settings: { items: -1 }, credentials: { testsys: { apiToken: 'x' } }, cadence: { kind: 'daily', at: '6 uur' } },
  });
  expect(res.status).toBe(400);
  const fields = (res.body.issues as Array<{ field: string }>).map((i) => i.field);
  expect(fields).toEqual(expect.arrayContaining(['name', 'cadence.at']));
  const typed = await h.call('POST', '/koppelingen', { body: body({ tenantId: 'acme', settings: { items: -1 }, credentials: { testsys: { apiToken: 'x' } } }) });
  expect(typed.status).toBe(400);
  expect((typed.body.issues as Array<{ field: string }>).map((i) => i.field)).toEqual(['settings.items', 'credentials.testsys.apiToken']);
  const unknownType = await h.call('POST', '/koppelingen', { body: body({ tenantId: 'acme', type: 'nope' }) });
  expect(unknownType.body.issues).toEqual([{ field: 'type', reason: 'unknown koppeling type "nope"' }]);
  const broken = await h.call('POST', '/koppelingen', { rawBody: '{"type":' });
  expect(broken.status).toBe(400);
  expect(broken.body.error).toBe('Ongeldige JSON');
  const period = await h.call('POST', '/koppelingen/whatever/closed-periods', { body: { administration: 'EB', year: 1999, period: 14 } });
  expect(period.status).toBe(400);
  expect(period.body.issues.map((i: { field: string }) => i.field)).toEqual(['year', 'period']);
  const query = await h.call('GET', '/koppelingen?state=SLEEPING');
  expect(query.status).toBe(400);
  expect(query.body.issues[0].field).toBe('query.state');
});

test('a tenant key sees only its own tenant', async () => {
  const id = (await h.call('POST', '/koppelingen', { body: body(), key: keyA })).body.id as string;
  expect((await h.call('GET', `/koppelingen/${id}`, { key: keyB })).status).toBe(403);
  expect((await h.call('POST', `/koppelingen/${id}/pause`, { body: {}, key: keyB })).status).toBe(403);
  expect((await h.call('POST', '/koppelingen', { body: body({ tenantId: 'acme' }), key: keyB })).status).toBe(403);
  expect((await h.call('GET', '/koppelingen?tenantId=acme', { key: keyB })).status).toBe(403);
  const mine = await h.call('GET', '/koppelingen', { key: keyB });
  expect(mine.body.items.every((k: { tenantId: string }) => k.tenantId === 'bakkerij')).toBe(true);
  expect((await h.call('GET', '/tenants', { key: keyB })).status).toBe(403);
  expect((await h.call('GET', '/koppelingen', { key: null })).status).toBe(401);
  expect((await h.call('GET', '/koppelingen', { key: 'not-a-key' })).status).toBe(401);
  const byState = await h.call('GET', '/koppelingen?state=ACTIVE', { key: keyA });
  expect(byState.body.items.every((k: { status: { state: string } }) => k.status.state === 'ACTIVE')).toBe(true);
});

test('WAITING_REAUTH until new credentials; BLOCKED_MAPPING until a new mapping', async () => {
  const id = (await h.call('POST', '/koppelingen', { body: body({ credentials: { testsys: { apiToken: 'expired-token' } }, mapping: {} }), key: keyA })).body.id;
  let k = await untilState(id, 'WAITING_REAUTH', 1);
  expect(k.live.blockingReason).toContain('Vul een geldig token in');
  const creds = await h.call('PUT', `/koppelingen/${id}/credentials`, { body: { system: 'testsys', credentials: { apiToken: GOOD_TOKEN } }, key: keyA });
  expect(creds.status).toBe(200);
  k = await untilState(id, 'BLOCKED_MAPPING', 2);
  expect(k.live.missingCodes).toEqual(['A1']);
  expect(k.status.missingCodes).toEqual(['A1']);
  const mapped = await h.call('PUT', `/koppelingen/${id}/mapping`, { body: { mapping: { X: 'A1' } }, key: keyA });
  expect(mapped.status).toBe(200);
  k = await untilState(id, 'ACTIVE', 3);
  expect(k.live.lastCycle.result).toBe('ok');

  const closed = await h.call('POST', `/koppelingen/${id}/closed-periods`, { body: { administration: 'EB', year: 2026, period: 3 }, key: keyA });
  expect(closed.status).toBe(200);
  expect(closed.body.live.closedPeriods).toEqual([{ administration: 'EB', year: 2026, period: 3 }]);
});

test('no credential value appears in any workflow history, decoded or not', async () => {
  const id = (await h.call('POST', '/koppelingen', { body: body(), key: keyA })).body.id as string;
  await untilState(id, 'ACTIVE', 1);
  await h.call('PUT', `/koppelingen/${id}/credentials`, { body: { system: 'testsys', credentials: { apiToken: GOOD_TOKEN } }, key: keyA });
  const workflowId = koppelingWorkflowId('acme', id);
  const histories: unknown[] = [await h.client.workflow.getHandle(workflowId).fetchHistory()];
  for await (const child of h.client.workflow.list({ query: `WorkflowId STARTS_WITH "${workflowId}/cycle-"` })) {
    histories.push(await h.client.workflow.getHandle(child.workflowId, child.runId).fetchHistory());
  }
  expect(histories.length).toBeGreaterThanOrEqual(2);
  const codec = h.api.ctx.codec;
  let decodedPayloads = 0;
  for (const history of histories) {
    const raw = JSON.stringify(history);
    expect(raw).not.toContain(GOOD_TOKEN);
    // Decode every payload with the real codec and look again.
    const payloads: Array<{ metadata: Record<string, Uint8Array>; data: Uint8Array }> = [];
    const walk = (v: unknown) => {
      if (!v || typeof v !== 'object') return;
      const o = v as Record<string, unknown>;
      if (o.metadata && o.data instanceof Uint8Array) payloads.push(o as never);
      for (const child of Object.values(o)) walk(child);
    };
    walk(history);
    for (const p of await codec.decode(payloads)) {
      decodedPayloads++;
      expect(Buffer.from(p.data ?? []).toString('utf8')).not.toContain(GOOD_TOKEN);
    }
  }
  expect(decodedPayloads).toBeGreaterThan(5);
});

test('the codec endpoint decodes for the operator only, with CORS for the Web UI', async () => {
  const [encoded] = await h.api.ctx.codec.encode([{ metadata: { encoding: new TextEncoder().encode('json/plain') }, data: new TextEncoder().encode('"hallo"') }]);
  const payload = {
    metadata: Object.fromEntries(Object.entries(encoded.metadata!).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
    data: Buffer.from(encoded.data!).toString('base64'),
  };
  const ok = await h.call('POST', '/codec/decode', { body: { payloads: [payload] } });
  expect(ok.status).toBe(200);
  expect(Buffer.from(ok.body.payloads[0].data, 'base64').toString()).toBe('"hallo"');
  expect((await h.call('POST', '/codec/decode', { body: { payloads: [payload] }, key: keyA })).status).toBe(403);
  expect((await h.call('POST', '/codec/decode', { body: { payloads: [payload] }, key: null })).status).toBe(401);
  const pre = await fetch(`${h.url}/codec/decode`, { method: 'OPTIONS', headers: { origin: 'http://localhost:8233' } });
  expect(pre.status).toBe(204);
  expect(pre.headers.get('access-control-allow-headers')).toContain('x-namespace');
  expect(pre.headers.get('access-control-allow-origin')).toBe('http://localhost:8233');
});

test('the OpenAPI document is served', async () => {
  const res = await h.call('GET', '/openapi.json', { key: null });
  expect(res.status).toBe(200);
  expect(res.body.paths['/koppelingen/{id}/pause'].post.summary).toBe('Pause the koppeling');
});

test('MongoDB is the source of truth: start-up reconciliation restarts a lost workflow, not an unlinked one', async () => {
  const linked = (await h.call('POST', '/koppelingen', { body: body(), key: keyA })).body.id as string;
  const unlinked = (await h.call('POST', '/koppelingen', { body: body(), key: keyA })).body.id as string;
  await untilState(linked, 'ACTIVE', 1);
  await untilState(unlinked, 'ACTIVE', 1);
  await h.call('POST', `/koppelingen/${unlinked}/stop`, { key: keyA });
  await h.client.workflow.getHandle(koppelingWorkflowId('acme', linked)).terminate('simulated loss');
  // Temporal's list of running workflows follows a moment later: reconcile until it has.
  await waitFor(async () => (await h.api.ctx.service.reconcile(), (await live(linked)).live), 30_000, 'restarted workflow');
  await untilState(linked, 'ACTIVE', 1);
  expect((await live(unlinked)).live).toBeNull();
});

test('stop then start at once never leaves a koppeling linked without a running workflow', async () => {
  const id = (await h.call('POST', '/koppelingen', { body: body(), key: keyA })).body.id as string;
  await untilState(id, 'ACTIVE', 1);
  const handle = () => h.client.workflow.getHandle(koppelingWorkflowId('acme', id));
  const isRunning = async () => (await handle().describe()).status.name === 'RUNNING';
  // A start right after a stop answered: the stopping run is told to go on, or a new one starts.
  for (let i = 0; i < 6; i++) {
    expect((await h.call('POST', `/koppelingen/${id}/stop`, { key: keyA })).status).toBe(200);
    const started = await h.call('POST', `/koppelingen/${id}/start`, { key: keyA });
    expect(started.status).toBe(200);
    const k = await live(id);
    expect(k.lifecycle).toBe('linked');
    expect(await isRunning()).toBe(true);
    expect(k.live?.stopping).toBeUndefined();
  }
  // Sent 20 ms apart without waiting: either may land last, but MongoDB and Temporal agree
  // (at once, or after one reconcile pass, which runs every 30 s).
  for (let i = 0; i < 6; i++) {
    const stop = h.call('POST', `/koppelingen/${id}/stop`, { key: keyA });
    await new Promise((r) => setTimeout(r, 20));
    const start = h.call('POST', `/koppelingen/${id}/start`, { key: keyA });
    const [stopped, started] = await Promise.all([stop, start]);
    expect(stopped.status).toBe(200);
    expect([200, 503]).toContain(started.status);
    await waitFor(async () => {
      await h.api.ctx.service.reconcile();
      const linked = (await live(id)).lifecycle === 'linked';
      return linked === (await isRunning()) ? true : undefined;
    }, 60_000, `MongoDB and Temporal agree after round ${i}`);
  }
  await h.call('POST', `/koppelingen/${id}/stop`, { key: keyA });
  await waitFor(async () => (!(await isRunning()) ? true : undefined), 30_000, 'stopped');
  await h.api.ctx.service.reconcile();
  expect(await isRunning()).toBe(false);
});

test('the reconciler stops a workflow whose koppeling was unlinked behind its back', async () => {
  const id = (await h.call('POST', '/koppelingen', { body: body(), key: keyA })).body.id as string;
  await untilState(id, 'ACTIVE', 1);
  await h.api.ctx.koppelingen.setLifecycle(id, 'unlinked');
  const handle = h.client.workflow.getHandle(koppelingWorkflowId('acme', id));
  await waitFor(async () => (await h.api.ctx.service.reconcile(), (await handle.describe()).status.name !== 'RUNNING' ? true : undefined), 30_000, 'stopped by the reconciler');
});

test('a cadence that yields no due time is refused with the reason; stop ends a koppeling at once', async () => {
  const id = (await h.call('POST', '/koppelingen', { body: body({ cadence: { kind: 'interval', everyMinutes: 60 } }), key: keyA })).body.id as string;
  await untilState(id, 'ACTIVE', 1);
  const bad = await h.call('PUT', `/koppelingen/${id}`, { body: { cadence: { kind: 'hourly', from: '10:00', to: '10:00', minute: 30 } }, key: keyA });
  expect(bad.status).toBe(400);
  expect(JSON.stringify(bad.body)).toMatch(/minuut 30/);
  const rename = await h.call('PUT', `/koppelingen/${id}`, { body: { name: 'Hernoemd' }, key: keyA });
  expect(rename.status).toBe(200);
  const k = await untilState(id, 'ACTIVE');
  expect(k.name).toBe('Hernoemd');
  expect((await h.call('POST', `/koppelingen/${id}/stop`, { key: keyA })).status).toBe(200);
  const handle = h.client.workflow.getHandle(koppelingWorkflowId('acme', id));
  await waitFor(async () => ((await handle.describe()).status.name === 'COMPLETED' ? true : undefined), 30_000, 'completed after stop');
});

test('a rename while BLOCKED_MAPPING keeps the koppeling answering and blocked (it once wedged every tenant)', async () => {
  const id = (await h.call('POST', '/koppelingen', { body: body({ mapping: {} }), key: keyA })).body.id as string;
  await untilState(id, 'BLOCKED_MAPPING', 1);
  for (let i = 0; i < 3; i++) expect((await h.call('PUT', `/koppelingen/${id}`, { body: { name: `EB Bedrijf (hernoemd ${i})` }, key: keyA })).status).toBe(200);
  const k = await untilState(id, 'BLOCKED_MAPPING', 1);
  expect(k.live.problem).toBeUndefined();
  // Another tenant's koppeling is not affected, and this one still takes its fix.
  const other = (await h.call('POST', '/koppelingen', { body: body(), key: keyB })).body.id as string;
  await untilState(other, 'ACTIVE', 1);
  expect((await h.call('PUT', `/koppelingen/${id}/mapping`, { body: { mapping: { X: 'A1' } }, key: keyA })).status).toBe(200);
  await untilState(id, 'ACTIVE', 2);
});

test('a stuck workflow task is visible in the koppeling status, not silent; other koppelingen go on', async () => {
  const id = (await h.call('POST', '/koppelingen', { body: body({ start: false }), key: keyA })).body.id as string;
  await h.api.ctx.koppelingen.setLifecycle(id, 'linked');
  await h.client.workflow.start('stuckForTest', { workflowId: koppelingWorkflowId('acme', id), taskQueue: 'koppelwerk', args: [] });
  const k = await waitFor(async () => {
    const v = await live(id);
    return v.live?.problem?.kind === 'stuck' ? v : undefined;
  }, 90_000, 'stuck reported');
  expect(k.live.problem.message).toMatch(/loopt vast/);
  expect(k.live.problem.attempt).toBeGreaterThanOrEqual(3);
  const other = (await h.call('POST', '/koppelingen', { body: body(), key: keyB })).body.id as string;
  await untilState(other, 'ACTIVE', 1);
  await h.client.workflow.getHandle(koppelingWorkflowId('acme', id)).terminate('test over');
});

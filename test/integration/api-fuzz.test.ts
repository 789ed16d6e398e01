/**
 * A seeded, bounded fuzz of the admin API against the real stack (FerretDB, Temporal dev server,
 * worker): every operation in the OpenAPI document, with valid and broken paths, queries, bodies
 * and headers, with the operator key, tenant keys, a wrong key and none. Nothing may answer 5xx,
 * and every error body is `{ error, issues? }` without a stack trace.
 *
 * Replay a run with KW_FUZZ_SEED=<seed>; KW_FUZZ_COUNT sets the number of requests.
 */
import { Agent, request } from 'node:http';
import { randomBytes } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { seededRandom } from '../../src/domain/random';
import { GOOD_TOKEN, TEST_TYPE } from '../support/test-koppeling';
import { Harness, waitFor } from './harness';

jest.setTimeout(300_000);

const SEED = Number(process.env.KW_FUZZ_SEED ?? 20261202);
const COUNT = Number(process.env.KW_FUZZ_COUNT ?? 6000);
const PARALLEL = Number(process.env.KW_FUZZ_PARALLEL ?? 6);
/** KW_FUZZ_TRACE=<file>: append each request's label before sending it (to find what broke a run). */
const TRACE = process.env.KW_FUZZ_TRACE;
// A ceiling, not an assertion: on a loaded machine the run stops early rather than overrun jest.
const BUDGET_MS = 150_000;
const UI_TOKEN = randomBytes(24).toString('base64url');

interface Req {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
  /** What it was, for the failure report (never a key). */
  label: string;
}

interface Res {
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

const agent = new Agent({ keepAlive: true, maxSockets: PARALLEL });

function send(port: number, r: Req, fresh = false): Promise<Res> {
  return new Promise((resolve, reject) => {
    let req: ReturnType<typeof request>;
    try {
      // Node sends a DELETE/OPTIONS body without chunking: without a length the server would read
      // the body as a second request and answer it with a bare 400 (a client bug, not the API's).
      const framed = r.body && !/^(POST|PUT|PATCH)$/.test(r.method) && !Object.keys(r.headers).some((k) => /^(content-length|transfer-encoding)$/i.test(k));
      const headers = framed ? { ...r.headers, 'content-length': String(r.body!.length) } : r.headers;
      req = request({ host: '127.0.0.1', port, method: r.method, path: r.path, headers, agent: fresh ? false : agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), headers: res.headers }));
        res.on('error', reject);
      });
    } catch (err) {
      // Node refuses some header values or paths before sending: nothing reached the server.
      return resolve({ status: -1, body: String(err), headers: {} });
    }
    req.on('error', (err) => {
      // A kept-alive socket the server closed after its previous answer (it does so when it
      // answered without reading the body, e.g. 413/415): Node's advice is to retry on a new one.
      if (req.reusedSocket && !fresh) return void send(port, r, true).then(resolve, reject);
      // The server may answer (413) and close before reading a big body: the answer still counts.
      resolve({ status: -2, body: String(err), headers: {} });
    });
    if (r.body) req.write(r.body);
    req.end();
  });
}

interface Op {
  method: string;
  path: string;
  pathParams: string[];
  query: Array<{ name: string; schema: { type?: string; enum?: string[] } }>;
  hasBody: boolean;
}

const h = new Harness();
let port: number;
const keys: Record<string, string | undefined> = {};
let koppelingA: string; // acme's, linked
let koppelingB: string; // bakkerij's
let encodedPayload: { metadata: Record<string, string>; data: string };

const STACK_TRACE = /\n\s+at .+:\d+:\d+/;

function checkAnswer(r: Req, res: Res, problems: string[]): void {
  if (res.status >= 500 || res.status < 0) {
    problems.push(`${res.status} for ${r.label}: ${res.body.slice(0, 300)}`);
    return;
  }
  if (STACK_TRACE.test(res.body)) problems.push(`stack trace in the body for ${r.label}`);
  // The OAuth2 callback is a browser's landing page: its errors are a Dutch HTML page, on purpose.
  const htmlPage = r.label.includes(' /oauth/callback') && res.body.startsWith('<!doctype html>');
  if (res.status >= 400 && r.method !== 'HEAD' && !htmlPage) {
    let body: { error?: unknown; issues?: unknown } | undefined;
    try {
      body = JSON.parse(res.body);
    } catch {
      problems.push(`${res.status} without JSON for ${r.label}: ${res.body.slice(0, 120)}`);
      return;
    }
    if (typeof body?.error !== 'string') problems.push(`${res.status} without "error" for ${r.label}`);
    if (body?.issues !== undefined) {
      const ok = Array.isArray(body.issues) && body.issues.every((i: { field?: unknown; reason?: unknown }) => typeof i.field === 'string' && typeof i.reason === 'string');
      if (!ok) problems.push(`${res.status} with malformed issues for ${r.label}`);
    }
  }
}

describe('with a worker', () => {
beforeAll(async () => {
  await h.start({ env: { KOPPELWERK_CODEC_UI_TOKEN: UI_TOKEN } });
  port = Number(new URL(h.url).port);
  keys.operator = h.operatorKey;
  keys.acme = await h.tenant('acme');
  keys.bakkerij = await h.tenant('bakkerij');
  keys.wrong = `kw_wrong_${'x'.repeat(20)}`;
  keys.none = undefined;
  const create = (key: string, start: boolean) =>
    h.call('POST', '/koppelingen', {
      key,
      body: { type: TEST_TYPE, name: 'Fuzz', settings: { requiredCode: 'A1', items: 1 }, mapping: { X: 'A1' }, credentials: { testsys: { apiToken: GOOD_TOKEN } }, start },
    });
  koppelingA = (await create(keys.acme, true)).body.id;
  koppelingB = (await create(keys.bakkerij, false)).body.id;
  const [p] = await h.api.ctx.codec.encode([{ metadata: { encoding: new TextEncoder().encode('json/plain') }, data: new TextEncoder().encode('"hallo"') }]);
  encodedPayload = {
    metadata: Object.fromEntries(Object.entries(p.metadata!).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
    data: Buffer.from(p.data!).toString('base64'),
  };
});

afterAll(async () => {
  agent.destroy();
  await h.stop();
});

const json = (v: unknown, extra: Record<string, string> = {}): Pick<Req, 'headers' | 'body'> => ({
  headers: { 'content-type': 'application/json', ...extra },
  body: Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)),
});

function withKey(headers: Record<string, string>, key: string | undefined): Record<string, string> {
  return key ? { ...headers, 'x-api-key': key } : headers;
}

test('the findings of the first fuzz run answer 4xx with a clear message', async () => {
  const op = keys.operator!;
  const cases: Array<{ req: Req; status: number; field?: RegExp; reason?: RegExp }> = [
    { req: { method: 'GET', path: '/koppelingen/%zz', headers: withKey({}, op), label: 'bad %-escape' }, status: 400, reason: /decode/ },
    {
      req: { method: 'POST', path: '/tenants', ...json({ id: 'x', name: 'y' }, { 'content-type': 'application/json; charset=latin-99' }), label: 'charset' },
      status: 415,
      field: /content-type/,
    },
    {
      req: { method: 'POST', path: '/tenants', ...json('not gzip at all', { 'content-encoding': 'gzip' }), label: 'broken gzip' },
      status: 400,
    },
    { req: { method: 'POST', path: '/tenants', ...json({ id: 'x', name: 'y' }, { 'content-encoding': 'br2' }), label: 'unknown encoding' }, status: 415, field: /content-encoding/ },
    {
      req: { method: 'POST', path: '/tenants', ...json({ id: 'x', name: 'y'.repeat(3 * 1024 * 1024) }), label: 'too large' },
      status: 413,
    },
    { req: { method: 'POST', path: '/tenants', ...json('{"id":'), label: 'malformed JSON' }, status: 400, field: /\(body\)/ },
    { req: { method: 'PUT', path: `/koppelingen/${koppelingA}/mapping`, ...json({ mapping: { 'a.b': 'X' } }), label: 'dot key' }, status: 400, field: /^mapping$/, reason: /"a\.b"/ },
    { req: { method: 'PUT', path: `/koppelingen/${koppelingA}/mapping`, ...json({ mapping: { $where: 'X' } }), label: 'dollar key' }, status: 400, reason: /"\$where"/ },
    { req: { method: 'PUT', path: `/koppelingen/${koppelingA}/mapping`, ...json({ mapping: { 'a\u0000b': 'X' } }), label: 'NUL key' }, status: 400, reason: /NUL/ },
    { req: { method: 'PUT', path: `/koppelingen/${koppelingA}`, ...json({ settings: { 'x.y': 1 } }), label: 'settings key' }, status: 400, field: /^settings$/ },
    {
      req: { method: 'POST', path: '/koppelingen', ...json({ tenantId: 'acme', type: TEST_TYPE, name: 'n', settings: { deep: { $gt: 1 } } }), label: 'nested settings key' },
      status: 400,
      field: /^settings\.deep$/,
    },
    { req: { method: 'PUT', path: `/koppelingen/${koppelingA}/credentials`, ...json({ system: '__proto__', credentials: {} }), label: '__proto__ system' }, status: 400, field: /^system$/ },
    { req: { method: 'PUT', path: `/koppelingen/${koppelingA}/credentials`, ...json({ system: 'constructor', credentials: {} }), label: 'constructor system' }, status: 400, field: /^system$/ },
    { req: { method: 'PUT', path: `/koppelingen/${koppelingA}/credentials`, ...json({ system: 'nope', credentials: {} }), label: 'unknown system' }, status: 400, field: /^system$/ },
    { req: { method: 'PUT', path: `/koppelingen/${koppelingA}/credentials`, ...json('{"system":"testsys","credentials":{"__proto__":{"apiToken":"x"}}}'), label: '__proto__ key' }, status: 400, reason: /__proto__/ },
    { req: { method: 'GET', path: '/koppelingen?offset=9223372036854775808', headers: {}, label: 'huge offset' }, status: 400, field: /^query\.offset$/ },
    { req: { method: 'GET', path: `/koppelingen/${koppelingA}/log?offset=-1`, headers: {}, label: 'negative offset' }, status: 400, field: /^query\.offset$/ },
    { req: { method: 'GET', path: `/koppelingen/${koppelingA}/log?limit=1.5`, headers: {}, label: 'fractional limit' }, status: 400, field: /^query\.limit$/ },
    {
      req: { method: 'POST', path: '/codec/decode', ...json({ payloads: [{ ...encodedPayload, metadata: { ...encodedPayload.metadata, 'encryption-key-id': Buffer.from('nope').toString('base64') } }] }), label: 'unknown codec key id' },
      status: 400,
      field: /^payloads\.0$/,
      reason: /unknown encryption key id/,
    },
  ];
  for (const c of cases) {
    const req = { ...c.req, headers: withKey(c.req.headers, op) };
    const res = await send(port, req);
    const body = JSON.parse(res.body) as { error: string; issues?: Array<{ field: string; reason: string }> };
    expect({ label: c.req.label, status: res.status }).toEqual({ label: c.req.label, status: c.status });
    expect(typeof body.error).toBe('string');
    if (c.field) expect(body.issues?.map((i) => i.field)).toEqual(expect.arrayContaining([expect.stringMatching(c.field)]));
    if (c.reason) expect(body.issues?.map((i) => i.reason)).toEqual(expect.arrayContaining([expect.stringMatching(c.reason)]));
    expect(res.body).not.toMatch(STACK_TRACE);
  }
});

test('a cadence change while BLOCKED_MAPPING is applied once unblocked (it used to spin the workflow and abort the worker)', async () => {
  const id = (
    await h.call('POST', '/koppelingen', {
      key: keys.acme,
      body: { type: TEST_TYPE, name: 'Blocked', settings: { requiredCode: 'A1', items: 1 }, mapping: {}, credentials: { testsys: { apiToken: GOOD_TOKEN } } },
    })
  ).body.id as string;
  const live = async () => (await h.call('GET', `/koppelingen/${id}`)).body;
  await waitFor(async () => (await live()).live?.state === 'BLOCKED_MAPPING', 60_000, 'BLOCKED_MAPPING');
  expect((await h.call('PUT', `/koppelingen/${id}`, { body: { cadence: { kind: 'interval', everyMinutes: 30 } } })).status).toBe(200);
  await waitFor(async () => (await live()).live?.cadence?.everyMinutes === 30, 30_000, 'the new cadence');
  expect((await h.call('PUT', `/koppelingen/${id}/mapping`, { body: { mapping: { X: 'A1' } } })).status).toBe(200);
  const unblocked = await waitFor(async () => {
    const k = await live();
    return k.live?.state === 'ACTIVE' && k.live.lastCycle?.result === 'ok' ? k : undefined;
  }, 60_000, 'ACTIVE after the mapping fix');
  expect(unblocked.live.nextDueAt).toEqual(expect.any(String));
});

test('the codec trusts the UI token, not an Origin header', async () => {
  const payloads = { payloads: [encodedPayload] };
  const ui = await send(port, { method: 'POST', path: `/codec/ui/${UI_TOKEN}/decode`, ...json(payloads), label: 'ui token' });
  expect(ui.status).toBe(200);
  expect(Buffer.from(JSON.parse(ui.body).payloads[0].data, 'base64').toString()).toBe('"hallo"');
  const wrong = await send(port, { method: 'POST', path: `/codec/ui/${'x'.repeat(32)}/decode`, ...json(payloads), label: 'wrong token' });
  expect(wrong.status).toBe(401);
  // The old trust: a loopback peer claiming the UI's origin. Not enough any more.
  const origin = await send(port, { method: 'POST', path: '/codec/decode', ...json(payloads, { origin: h.config.KOPPELWERK_UI_ORIGIN }), label: 'origin only' });
  expect(origin.status).toBe(401);
});

test(`seeded fuzz over every OpenAPI operation: no 5xx (seed ${SEED})`, async () => {
  const doc = JSON.parse((await send(port, { method: 'GET', path: '/openapi.json', headers: {}, label: 'openapi' })).body) as {
    paths: Record<string, Record<string, { parameters?: Array<{ name: string; in: string; schema: { type?: string; enum?: string[] } }>; requestBody?: unknown }>>;
  };
  const ops: Op[] = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, o]) => ({
      method: method.toUpperCase(),
      path,
      pathParams: (o.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name),
      query: (o.parameters ?? []).filter((p) => p.in === 'query').map((p) => ({ name: p.name, schema: p.schema })),
      hasBody: o.requestBody !== undefined,
    })),
  );
  expect(ops.length).toBeGreaterThan(20);

  const rnd = seededRandom(SEED);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const chance = (p: number) => rnd() < p;
  let tenantSeq = 0;

  const junkSegments = ['%zz', '%', '%E0%A4%A', '%00', '__proto__', 'constructor', 'prototype', 'a'.repeat(300), '..%2F..%2Fetc', '%C3%BC', '%2e', '$where', 'k_doesnotexist', '%FF%FE', 'a.b', '%20'];
  const pathValue = (name: string): string => {
    if (chance(0.45)) return pick(junkSegments);
    if (name === 'tenantId') return pick(['acme', 'bakkerij', 'unknown-tenant']);
    if (name === 'token') return pick([UI_TOKEN, UI_TOKEN, 'x'.repeat(32), 'short']);
    return pick([koppelingA, koppelingA, koppelingB, 'k_0000000000000000']);
  };
  const junkValues: unknown[] = [null, true, -1, 0, 1.5, 1e308, -1e308, 9223372036854775808, '', 'x'.repeat(5000), [], [1, 'a'], {}, { a: 1 }, '\u0000', '💥', '<script>'];
  const badKeys = ['a.b', '$gt', 'a\u0000b', '', '__proto__', 'constructor', 'prototype', '.', '$'];

  const validBody = (op: Op): Record<string, unknown> => {
    switch (`${op.method} ${op.path}`) {
      case 'POST /tenants':
        return { id: `fz${tenantSeq++}`, name: 'Fuzz tenant' };
      case 'POST /tenants/{tenantId}/api-keys':
        return { label: 'fuzz' };
      case 'POST /koppelingen':
        return {
          tenantId: pick(['acme', 'bakkerij', 'unknown-tenant']),
          type: pick([TEST_TYPE, TEST_TYPE, 'nmbrs-eboekhouden', 'nope']),
          name: 'Fuzz',
          settings: { requiredCode: 'A1', items: 2 },
          mapping: { X: 'A1' },
          credentials: { testsys: { apiToken: GOOD_TOKEN } },
          cadence: pick([{ kind: 'daily', at: '06:00' }, { kind: 'interval', everyMinutes: 15 }, { kind: 'daily', at: '25:99' }]),
          // Few new workflows: the fuzz is about the API, not about loading the worker.
          start: chance(0.05),
        };
      case 'PUT /koppelingen/{id}':
        return pick([{ name: 'Renamed' }, { settings: { requiredCode: 'A1', items: 3 } }, { cadence: { kind: 'interval', everyMinutes: 30 } }]);
      case 'PUT /koppelingen/{id}/credentials':
        return { system: pick(['testsys', 'testsys', 'nmbrs', '__proto__', 'constructor', 'hasOwnProperty', 'toString']), credentials: { apiToken: GOOD_TOKEN } };
      case 'PUT /koppelingen/{id}/mapping':
        return { mapping: { X: 'A1', Y: 'B2' } };
      case 'POST /koppelingen/{id}/closed-periods':
        return { administration: 'EB', year: 2026, period: 1 + Math.floor(rnd() * 13) };
      case 'POST /codec/decode':
      case 'POST /codec/encode':
      case 'POST /codec/ui/{token}/decode':
      case 'POST /codec/ui/{token}/encode': {
        const bad = { ...encodedPayload, metadata: { ...encodedPayload.metadata, 'encryption-key-id': Buffer.from(pick(['nope', 'p0', ''])).toString('base64') } };
        const tampered = { ...encodedPayload, data: Buffer.from(pick(['', 'AAAA', 'x'.repeat(40)])).toString('base64') };
        return { payloads: [pick([encodedPayload, bad, tampered, { data: '!!!' }, { metadata: { encoding: 'YmluYXJ5L2VuY3J5cHRlZA==' } }])] };
      }
      default:
        return { reason: 'fuzz' };
    }
  };

  const mutate = (v: Record<string, unknown>): unknown => {
    const keysOf = Object.keys(v);
    switch (Math.floor(rnd() * 8)) {
      case 0:
        return v;
      case 1: {
        const copy = { ...v };
        if (keysOf.length) delete copy[pick(keysOf)];
        return copy;
      }
      case 2:
        return keysOf.length ? { ...v, [pick(keysOf)]: pick(junkValues) } : pick(junkValues);
      case 3:
        return { ...v, [pick(['extra', '__proto__', 'constructor', 'a.b'])]: pick(junkValues) };
      case 4: {
        // A bad key inside one of the stored objects (or a new one).
        const field = pick(['settings', 'mapping', 'credentials', 'payloads', ...keysOf]);
        return { ...v, [field]: { [pick(badKeys)]: pick(['x', { y: 1 }, { [pick(badKeys)]: 'z' }]) } };
      }
      case 5: {
        let deep: unknown = 'x';
        for (let i = 0; i < 200; i++) deep = { d: deep };
        return { ...v, settings: deep };
      }
      case 6:
        return pick(junkValues);
      default:
        return { ...v, mapping: { [pick(badKeys)]: 'A1' }, settings: { [pick(badKeys)]: 1 } };
    }
  };

  const rawBodies = ['{', '{"a":}', 'nul', '\u0000', '[]', '"x"', 'null', '1', '{"a":1}{', '{"a":1e999999}', '\uFEFF{}', '{"__proto__":{"x":1}}', '[[[[[[[[[['];
  const bodyFor = (op: Op): Pick<Req, 'headers' | 'body'> => {
    const roll = rnd();
    if (roll < 0.55) return json(mutate(validBody(op)));
    if (roll < 0.65) return json(pick(rawBodies));
    if (roll < 0.72)
      return json(validBody(op), {
        'content-type': pick([
          'application/json; charset=latin-99',
          'application/json; charset=utf-16',
          'application/json; charset',
          'application/json; charset="utf-8',
          'text/plain',
          'application/x-www-form-urlencoded',
          ';;;',
          'application/json;;charset=utf-8',
          '*/*',
        ]),
      });
    if (roll < 0.82) {
      const plain = Buffer.from(JSON.stringify(validBody(op)));
      const [encoding, body] = pick<[string, Buffer]>([
        ['gzip', gzipSync(plain)],
        ['gzip', plain],
        ['deflate', plain],
        ['br', plain],
        ['br', brotliCompressSync(plain)],
        ['br2', plain],
        ['identity', plain],
        ['gzip, gzip', gzipSync(gzipSync(plain))],
        ['x-unknown', plain],
      ]);
      return { headers: { 'content-type': 'application/json', 'content-encoding': encoding }, body };
    }
    if (roll < 0.825) return json({ ...validBody(op), big: 'b'.repeat(2 * 1024 * 1024 + 10) });
    if (roll < 0.9) return { headers: {}, body: undefined };
    return json(validBody(op));
  };

  const queryFor = (op: Op): string => {
    const parts: string[] = [];
    for (const q of op.query) {
      if (chance(0.5)) continue;
      const values = q.schema.enum
        ? [...q.schema.enum, 'SLEEPING', '']
        : q.schema.type === 'integer' || q.schema.type === 'number'
          ? ['0', '1', '10', '200', '501', '9223372036854775808', '-1', '1.5', 'abc', '', '1e400', '0x10', 'NaN', 'Infinity', '%zz']
          : ['acme', 'bakkerij', TEST_TYPE, '', '%zz', '%00', 'x'.repeat(300), '__proto__'];
      parts.push(`${q.name}=${pick(values)}`);
      if (chance(0.1)) parts.push(`${q.name}=${pick(values)}`); // repeated: an array
    }
    if (chance(0.1)) parts.push(pick(['foo=1', '__proto__=1', 'constructor[a]=1', '%zz=1', 'a[b][c]=1']));
    return parts.length ? `?${parts.join('&')}` : '';
  };

  const requests: Req[] = [];
  for (let i = 0; i < COUNT; i++) {
    // Round-robin over the operations, so each is exercised about equally; some stray paths too.
    const op = ops[i % ops.length];
    let path = op.path.replace(/\{(\w+)\}/g, (_m, name: string) => pathValue(name));
    if (chance(0.03)) path = pick(['/%zz', '/koppelingen/%zz/log/%zz', '/..', '/openapi.json?x=%zz', '//koppelingen', '/koppelingen/', '/tenants/%E0%A4%A/api-keys']);
    path += queryFor(op);
    const method = chance(0.05) ? pick(['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD']) : op.method;
    const withBody = op.hasBody || chance(0.1);
    const { headers, body } = withBody && method !== 'GET' && method !== 'HEAD' ? bodyFor(op) : { headers: {}, body: undefined };
    const who = pick(['operator', 'operator', 'acme', 'bakkerij', 'wrong', 'none']);
    const h2 = withKey(headers, keys[who]);
    if (who !== 'none' && chance(0.2)) {
      delete h2['x-api-key'];
      h2.authorization = pick([`Bearer ${keys[who]}`, `bearer ${keys[who]}`, 'Bearer', 'Basic abc', `Bearer  ${keys[who]} `]);
    }
    if (chance(0.03)) h2.origin = pick([h.config.KOPPELWERK_UI_ORIGIN, 'http://evil.example', 'null']);
    requests.push({ method, path, headers: h2, body, label: `#${i} ${method} ${path.slice(0, 120)} as ${who} (${headers['content-type'] ?? '-'}, ${headers['content-encoding'] ?? '-'}, ${body?.length ?? 0} bytes)` });
  }

  const problems: string[] = [];
  const statuses = new Map<number, number>();
  const deadline = Date.now() + BUDGET_MS;
  let next = 0;
  let sent = 0;
  await Promise.all(
    Array.from({ length: PARALLEL }, async () => {
      while (next < requests.length && Date.now() < deadline) {
        const r = requests[next++];
        if (TRACE) appendFileSync(TRACE, `${r.label}\n`);
        const res = await send(port, r);
        sent++;
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        checkAnswer(r, res, problems);
      }
    }),
  );
  console.log(`api fuzz: seed ${SEED}, ${sent}/${requests.length} requests, statuses ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`);
  expect(problems.slice(0, 30)).toEqual([]);
  expect(sent).toBeGreaterThanOrEqual(Math.min(requests.length, ops.length * 10));
});
});

describe('without a worker', () => {
  // Temporal is up but nothing answers the status query: the API answers from the MongoDB mirror.
  const h2 = new Harness();
  beforeAll(() => h2.start({ worker: 'none' }));
  afterAll(() => h2.stop());

  test('a status query that fails right after a successful start gives the mirror, not a 500', async () => {
    const key = await h2.tenant('acme');
    const created = await h2.call('POST', '/koppelingen', {
      key,
      body: { type: TEST_TYPE, name: 'No worker', settings: { requiredCode: 'A1', items: 1 }, mapping: { X: 'A1' }, credentials: { testsys: { apiToken: GOOD_TOKEN } } },
    });
    expect(created.status).toBe(201);
    const start = await h2.call('POST', `/koppelingen/${created.body.id}/start`, { key });
    expect(start.status).toBe(200);
    expect(start.body).toMatchObject({ started: true, live: null, liveUnavailable: expect.stringMatching(/Live status niet beschikbaar/) });
    const get = await h2.call('GET', `/koppelingen/${created.body.id}`, { key });
    expect(get.status).toBe(200);
    expect(get.body).toMatchObject({ id: created.body.id, live: null, liveUnavailable: expect.any(String) });
    expect(get.body).toHaveProperty('status');
  });
});

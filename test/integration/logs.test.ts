/**
 * Structured logs end to end: the admin API and an in-process worker (with the Temporal runtime
 * logger and forwarded core logs) run a real e-Boekhouden ↔ WerkbonApp koppeling against the
 * simulators, with credentials that are distinctive markers, through create, a failing auth
 * (WAITING_REAUTH), new credentials, a sync and a few rejected API calls. Everything logged at
 * LOG_LEVEL=debug is captured (the pino destination, and stdout/stderr/console for anything that
 * bypasses it), and no marker may appear in any of it.
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { DEMO_ADMINISTRATIE_GUID, DEMO_FACTUURSJABLOON } from '../../src/systems/eboekhouden/simulator/demo';
import { DEMO_TOKEN } from '../../src/systems/werkbonapp/simulator/demo';
import { captureLogs, type CapturedLog } from '../support/log-capture';
import { Harness, waitFor } from './harness';

jest.setTimeout(180_000);

const r = randomBytes(6).toString('hex');
const MARK = {
  username: `mkuser${r}`,
  // In e-Boekhouden's own formats (32 hex; a GUID), each unique to this run.
  securityCode1: randomBytes(16).toString('hex'),
  securityCode2: `${randomBytes(4).toString('hex')}-${r.slice(0, 4)}-${r.slice(4, 8)}-${randomBytes(2).toString('hex')}-${randomBytes(6).toString('hex')}`,
  token: `mktoken${r}`,
  wrongToken: `mkwrong${r}`,
  apiKey: `mkapikey${r}0123456789abcdef`,
  bodyOnly: `mkbody${r}`,
};

const h = new Harness();
let cap: CapturedLog;
const raw: string[] = [];
const restore: Array<() => void> = [];

function tap(target: { write: (...a: never[]) => boolean }) {
  const original = target.write;
  target.write = ((chunk: unknown, ...rest: never[]) => {
    raw.push(Buffer.isBuffer(chunk) ? chunk.toString('utf8') : String(chunk));
    return (original as (...a: unknown[]) => boolean).call(target, chunk, ...rest);
  }) as typeof target.write;
  restore.push(() => (target.write = original));
}

beforeAll(async () => {
  cap = captureLogs();
  tap(process.stdout);
  tap(process.stderr);
  for (const m of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    const spy = jest.spyOn(console, m).mockImplementation((...args: unknown[]) => void raw.push(args.map(String).join(' ')));
    restore.push(() => spy.mockRestore());
  }
  await h.start({ simulators: ['eboekhouden', 'werkbonapp'], env: { LOG_LEVEL: 'debug' } });
  await h.tenant('acme');
  await h.control('eboekhouden', 'POST', '/users', {
    username: MARK.username,
    securityCode1: MARK.securityCode1,
    securityCode2: MARK.securityCode2,
    administratieGuids: [DEMO_ADMINISTRATIE_GUID],
  });
  await h.control('werkbonapp', 'POST', '/tokens', { tokens: [DEMO_TOKEN, MARK.token] });
});

afterAll(async () => {
  await h.stop();
  for (const undo of restore.reverse()) undo();
  cap.stop();
});

async function live(id: string) {
  return (await h.call('GET', `/koppelingen/${id}`)).body.live;
}

test('no credential appears in any log line: create, failing auth, reauth, sync, rejected calls', async () => {
  const created = await h.call('POST', '/koppelingen', {
    body: {
      tenantId: 'acme',
      type: 'eboekhouden-werkbonapp',
      name: 'Logs',
      settings: { import: { relaties: true, materialen: true, uursoorten: true }, export: { factuur: true, factuursjabloon: DEMO_FACTUURSJABLOON, betalingstermijn: 14 } },
      credentials: {
        eboekhouden: { username: MARK.username, securityCode1: MARK.securityCode1, securityCode2: MARK.securityCode2 },
        werkbonapp: { token: MARK.wrongToken },
      },
    },
  });
  expect(created.status).toBe(201);
  const id = created.body.id as string;

  // The wrong WerkbonApp token parks it.
  await waitFor(async () => ((await live(id))?.state === 'WAITING_REAUTH' ? true : undefined), 90_000, 'WAITING_REAUTH');

  // New credentials: the next cycle succeeds.
  const put = await h.call('PUT', `/koppelingen/${id}/credentials`, { body: { system: 'werkbonapp', credentials: { token: MARK.token } } });
  expect(put.status).toBeLessThan(300);
  const afterReauth = await waitFor(async () => {
    const l = await live(id);
    return l?.state === 'ACTIVE' && l.lastCycle?.result === 'ok' ? l : undefined;
  }, 90_000, 'a good cycle after reauth');

  // "start synchronisatie"
  expect((await h.call('POST', `/koppelingen/${id}/sync`, { body: { reason: 'test' } })).status).toBe(202);
  await waitFor(async () => {
    const l = await live(id);
    return l?.lastCycle?.cycleNo > afterReauth.lastCycle.cycleNo && l.state !== 'RUNNING' ? l : undefined;
  }, 90_000, 'the synced cycle');

  // Rejected calls carrying secrets in the body, the query and the key header.
  expect((await h.call('PUT', `/koppelingen/${id}/credentials`, { body: { system: 'nope', credentials: { token: MARK.bodyOnly } } })).status).toBe(400);
  expect((await h.call('POST', '/koppelingen', { rawBody: `{"token":"${MARK.bodyOnly}"` })).status).toBe(400);
  expect((await h.call('GET', `/koppelingen?tenantId=${MARK.bodyOnly}`)).status).toBeLessThan(500);
  expect((await h.call('GET', '/koppelingen', { key: MARK.apiKey })).status).toBe(401);
  expect((await h.call('POST', `/koppelingen/${id}/stop`)).status).toBeLessThan(300);

  const lines = cap.lines;
  const entries = cap.entries();
  // The capture saw the API, the activities and the Temporal runtime, with our ids bound.
  expect(entries.some((e) => e.msg === 'request' && e.route === '/koppelingen/:id/credentials' && e.status === 400)).toBe(true);
  expect(entries.some((e) => e.sdkComponent === 'activity' && e.tenantId === 'acme' && e.koppelingId === id)).toBe(true);
  expect(entries.some((e) => e.sdkComponent === 'worker')).toBe(true);
  expect(entries.some((e) => e.code === 'CYCLE_OK' || e.level === 'warn')).toBe(true);

  const everything = [...lines, ...raw].join('\n');
  if (process.env.KW_LOG_DUMP) writeFileSync(process.env.KW_LOG_DUMP, everything); // to read what was logged
  for (const [name, marker] of Object.entries(MARK)) {
    expect({ name, found: everything.includes(marker) }).toEqual({ name, found: false });
  }
});

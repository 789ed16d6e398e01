/** The API's request log: route pattern, status, tenant, request id; never bodies, queries or headers. */
import type { Server } from 'node:http';
import express from 'express';
import { requestErrorLogger, requestLogger } from '../../src/platform/http-log';
import { setLogLevel } from '../../src/platform/log';
import { captureLogs, type CapturedLog } from '../support/log-capture';

let server: Server;
let url: string;
let cap: CapturedLog;

beforeAll(async () => {
  const app = express();
  app.use(requestLogger());
  app.use(express.json());
  app.post('/koppelingen/:id/sync', (req, res) => {
    res.locals.principal = { kind: 'tenant', tenantId: 'acme' };
    res.status(202).json({ ok: true });
  });
  app.get('/busy', (_req, res) => {
    res.status(503).setHeader('Retry-After', '2').json({ error: 'Tijdelijk niet beschikbaar' });
  });
  app.get('/boom', () => {
    throw Object.assign(new Error('database down'), { request: { body: 'req-body-SECRET' } });
  });
  app.use((err: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    requestErrorLogger(res).error({ err }, 'unexpected error');
    res.status(500).json({ error: 'Interne fout; zie de serverlog.' });
  });
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const addr = server.address();
  url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
beforeEach(() => {
  cap = captureLogs();
  setLogLevel('info');
});
afterEach(() => cap.stop());

async function settled(n: number) {
  for (let i = 0; i < 50 && cap.lines.length < n; i++) await new Promise((r) => setTimeout(r, 10));
}

test('one line per request: method, route pattern, status, duration, tenant, request id; no body, query or key', async () => {
  const res = await fetch(`${url}/koppelingen/k_1/sync?token=query-SECRET`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': 'header-SECRET', 'x-request-id': 'req-42' },
    body: JSON.stringify({ reason: 'body-SECRET' }),
  });
  expect(res.status).toBe(202);
  expect(res.headers.get('x-request-id')).toBe('req-42');
  await settled(1);
  expect(cap.entries()).toEqual([
    expect.objectContaining({
      level: 'info',
      msg: 'request',
      method: 'POST',
      route: '/koppelingen/:id/sync',
      status: 202,
      principal: 'tenant',
      tenantId: 'acme',
      koppelingId: 'k_1',
      requestId: 'req-42',
      durationMs: expect.any(Number),
    }),
  ]);
  expect(cap.lines.join('')).not.toMatch(/SECRET/);
});

test('an unexpected error is logged with its stack (not its request), the caller gets a generic 500', async () => {
  const res = await fetch(`${url}/boom?x=1`);
  expect(res.status).toBe(500);
  expect(await res.json()).toEqual({ error: 'Interne fout; zie de serverlog.' });
  await settled(2);
  const [error, request] = cap.entries() as Array<Record<string, any>>;
  expect(error).toMatchObject({ level: 'error', msg: 'unexpected error', err: { message: 'database down' } });
  expect(error.err.stack).toContain('database down');
  expect(error.requestId).toBe(request.requestId);
  expect(request).toMatchObject({ level: 'error', route: '/boom', status: 500, principal: 'anonymous' });
  expect(cap.lines.join('')).not.toMatch(/SECRET/);
});

test('a 503 (busy dependency, Retry-After) is a warning, not an error', async () => {
  expect((await fetch(`${url}/busy`)).status).toBe(503);
  await settled(1);
  expect(cap.entries()[0]).toMatchObject({ level: 'warn', route: '/busy', status: 503 });
});

test('unmatched paths are not logged verbatim', async () => {
  await fetch(`${url}/secret-SECRET-path`);
  await settled(1);
  expect(cap.entries()[0]).toMatchObject({ route: '(unmatched)', status: 404 });
  expect(cap.lines.join('')).not.toMatch(/SECRET/);
});

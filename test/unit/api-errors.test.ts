/** The pure pieces of the API's input hardening: key checks, error → status mapping, CORS origins. */
import type { Request } from 'express';
import { ZodError, z } from 'zod';
import type { ApiContext } from '../../src/api/context';
import { assertUiToken } from '../../src/api/routes/codec';
import { allowedOrigins } from '../../src/api/app';
import { errorAnswer, isTransient, reasonChain } from '../../src/api/errors';
import { keyIssues, keyProblem, ownValue } from '../../src/api/keys';
import { HttpError } from '../../src/api/route';
import { ServiceError } from '../../src/services/koppelingen';

describe('keys a client chooses', () => {
  it('refuses what MongoDB cannot store as a field name, naming the key', () => {
    expect(keyProblem('a.b', true)).toMatch(/"a\.b" contains "\."/);
    expect(keyProblem('$gt', true)).toMatch(/"\$gt" contains "\$"/);
    expect(keyProblem('a\u0000b', true)).toMatch(/NUL/);
    expect(keyProblem('', true)).toMatch(/empty/);
    expect(keyProblem('4105', true)).toBeUndefined();
    expect(keyProblem('a.b', false)).toBeUndefined(); // codec payload metadata is never stored
  });

  it('refuses prototype keys everywhere', () => {
    for (const k of ['__proto__', 'constructor', 'prototype']) {
      expect(keyProblem(k, false)).toMatch(/not allowed/);
      expect(keyProblem(k, true)).toMatch(/not allowed/);
    }
  });

  it('walks nested objects and arrays, naming the holder of each bad key', () => {
    const body = JSON.parse('{"mapping":{"a.b":"x","ok":"y"},"settings":{"deep":[{"$where":1}]},"x":{"__proto__":{"polluted":true}}}');
    expect(keyIssues(body, { mongo: true })).toEqual([
      { field: 'mapping', reason: expect.stringContaining('"a.b"') },
      { field: 'settings.deep.0', reason: expect.stringContaining('"$where"') },
      { field: 'x', reason: 'key "__proto__" is not allowed' },
    ]);
    expect(keyIssues({ fine: { nested: ['a', { b: 1 }] } }, { mongo: true })).toEqual([]);
    expect(keyIssues('not an object', { mongo: true })).toEqual([]);
  });

  it('refuses absurd nesting instead of recursing without end', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100; i++) deep = { d: deep };
    expect(keyIssues(deep, { mongo: true })).toEqual([{ field: expect.stringMatching(/^d(\.d)+$/), reason: expect.stringContaining('nested deeper') }]);
  });

  it('looks up own properties only', () => {
    const systems: Record<string, string> = { nmbrs: 'schema' };
    expect(ownValue(systems, 'nmbrs')).toBe('schema');
    expect(ownValue(systems, '__proto__')).toBeUndefined();
    expect(ownValue(systems, 'constructor')).toBeUndefined();
    expect(ownValue(undefined, 'x')).toBeUndefined();
  });
});

describe('error answers', () => {
  const typed = (type: string, status: number, message = 'm') => Object.assign(new Error(message), { type, status, expose: true });

  it('maps body-parser errors to 400/413/415 with the field and the reason', () => {
    expect(errorAnswer(typed('entity.parse.failed', 400, 'Unexpected end of JSON input'))).toEqual({
      status: 400,
      body: { error: 'Ongeldige JSON', issues: [{ field: '(body)', reason: 'Unexpected end of JSON input' }] },
    });
    expect(errorAnswer(typed('entity.too.large', 413)).status).toBe(413);
    expect(errorAnswer(typed('charset.unsupported', 415)).body.issues).toEqual([{ field: 'content-type', reason: 'm' }]);
    expect(errorAnswer(typed('encoding.unsupported', 415)).body.issues?.[0].field).toBe('content-encoding');
  });

  it('keeps a 4xx status an error carries (bad %-escape in the path, broken gzip)', () => {
    const decode = Object.assign(new URIError("Failed to decode param '%zz'"), { status: 400 });
    expect(errorAnswer(decode)).toMatchObject({ status: 400, body: { issues: [{ reason: "Failed to decode param '%zz'" }] } });
  });

  it('answers our own errors as they say', () => {
    expect(errorAnswer(new HttpError(404, 'weg'))).toEqual({ status: 404, body: { error: 'weg' } });
    expect(errorAnswer(new ServiceError(409, 'al gepauzeerd'))).toEqual({ status: 409, body: { error: 'al gepauzeerd' } });
    const zerr = z.object({ a: z.number() }).safeParse({ a: 'x' }).error as ZodError;
    expect(errorAnswer(zerr)).toMatchObject({ status: 400, body: { issues: [{ field: 'a' }] } });
  });

  it('answers a busy or unreachable dependency with 503 and Retry-After', () => {
    const busy = Object.assign(new Error('SQLITE_BUSY: database is locked'), { name: 'MongoServerError' });
    expect(errorAnswer(busy)).toMatchObject({ status: 503, headers: { 'Retry-After': expect.any(String) } });
    const net = new Error('connect ECONNREFUSED 127.0.0.1:27017');
    net.name = 'MongoNetworkError';
    expect(isTransient(net)).toBe(true);
    const grpc = Object.assign(new Error('14 UNAVAILABLE: No connection established'), { code: 14, details: 'No connection established' });
    expect(isTransient(new Error('Failed to query Workflow', { cause: grpc }))).toBe(true);
    // An update while the workflow task waits for a new worker (after a crash): a retry helps.
    const failedTask = Object.assign(new Error('9 FAILED_PRECONDITION: Unable to perform workflow execution update due to Workflow Task in failed state.'), { code: 9 });
    expect(isTransient(new Error('Workflow Update failed', { cause: failedTask }))).toBe(true);
    // An update whose workflow task failed under it (a stop completing the run at that moment): the fuzz met it.
    const aborted = Object.assign(new Error('9 FAILED_PRECONDITION: Unable to perform workflow execution update due to unexpected workflow task failure.'), { code: 9 });
    expect(isTransient(new Error('Workflow Update failed', { cause: aborted }))).toBe(true);
    expect(isTransient(Object.assign(new Error('9 FAILED_PRECONDITION: something else'), { code: 9 }))).toBe(false);
  });

  it('logs a busy dependency by its reasons, outermost first (no stack)', () => {
    const failedTask = Object.assign(new Error('9 FAILED_PRECONDITION: Workflow Task in failed state.'), { code: 9 });
    const reason = reasonChain(new Error('Workflow Update failed', { cause: failedTask }));
    expect(reason).toBe('Error: Workflow Update failed <- Error: 9 FAILED_PRECONDITION: Workflow Task in failed state.');
    expect(reason).not.toMatch(/\n\s+at /);
  });

  it('answers anything else with a bare 500: no stack, no message from inside', () => {
    const answer = errorAnswer(new TypeError("Cannot read properties of undefined (reading 'x')"));
    expect(answer.status).toBe(500);
    expect(answer.unexpected).toBe(true);
    expect(JSON.stringify(answer.body)).not.toMatch(/TypeError|reading|at /);
  });
});

describe('codec CORS origins', () => {
  it('accepts both names of the local UI on its configured port', () => {
    expect([...allowedOrigins('http://localhost:9233')]).toEqual(['http://localhost:9233', 'http://127.0.0.1:9233']);
    expect([...allowedOrigins('https://ui.example')]).toEqual(['https://ui.example']);
  });
});

describe('the dev UI codec URL', () => {
  const ctx = (token?: string) => ({ config: { KOPPELWERK_CODEC_UI_TOKEN: token } }) as unknown as ApiContext;
  const req = (remoteAddress: string) => ({ socket: { remoteAddress }, header: () => undefined }) as unknown as Request;
  const token = 't'.repeat(32);

  it('needs the configured token and a loopback peer; an Origin header plays no part', () => {
    expect(() => assertUiToken(ctx(token), req('127.0.0.1'), token)).not.toThrow();
    expect(() => assertUiToken(ctx(token), req('::ffff:127.0.0.1'), token)).not.toThrow();
    expect(() => assertUiToken(ctx(token), req('127.0.0.1'), 'x'.repeat(32))).toThrow(expect.objectContaining({ status: 401 }));
    expect(() => assertUiToken(ctx(token), req('192.168.1.20'), token)).toThrow(expect.objectContaining({ status: 403 }));
    expect(() => assertUiToken(ctx(undefined), req('127.0.0.1'), token)).toThrow(expect.objectContaining({ status: 404 }));
  });
});

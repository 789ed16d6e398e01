/** The structured log: JSON lines, LOG_LEVEL, and no credential in any line. */
import { configureLogging, logger, childLogger, rememberSecrets, setLogLevel, idsFromWorkflowId } from '../../src/platform/log';
import { PinoTemporalLogger, temporalFields } from '../../src/platform/temporal-log';
import { captureLogs, type CapturedLog } from '../support/log-capture';

let cap: CapturedLog;
beforeEach(() => {
  cap = captureLogs();
  setLogLevel('info');
});
afterEach(() => cap.stop());

test('one JSON line per event, with level name, time and bound ids', () => {
  childLogger({ tenantId: 'acme', koppelingId: 'k1', workflowId: 'koppeling/acme/k1', cycleNo: 3 }).info({ code: 'CYCLE_OK' }, 'klaar');
  expect(cap.lines).toHaveLength(1);
  expect(cap.lines[0].endsWith('\n')).toBe(true);
  const e = cap.entries()[0];
  expect(e).toMatchObject({ level: 'info', msg: 'klaar', tenantId: 'acme', koppelingId: 'k1', cycleNo: 3, code: 'CYCLE_OK' });
  expect(typeof e.time).toBe('string');
});

test('LOG_LEVEL filters: below the level nothing is written', () => {
  configureLogging({ LOG_LEVEL: 'warn' });
  logger().debug('d');
  logger().info('i');
  logger().warn('w');
  logger().error('e');
  expect(cap.entries().map((e) => e.msg)).toEqual(['w', 'e']);
  setLogLevel('debug');
  logger().debug('d2');
  expect(cap.entries().map((e) => e.msg)).toEqual(['w', 'e', 'd2']);
  setLogLevel('error');
  new PinoTemporalLogger().warn('temporal warn');
  new PinoTemporalLogger().error('temporal error');
  expect(cap.entries().map((e) => e.msg)).toEqual(['w', 'e', 'd2', 'temporal error']);
});

test('known secret fields are redacted, at any depth', () => {
  logger().info(
    {
      password: 'pw-MARKER-1',
      token: 'tok-MARKER-2',
      creds: { securityCode1: 'sc1-MARKER-3', securityCode2: 'sc2-MARKER-4', apiToken: 'api-MARKER-5' },
      deep: { a: { b: { client_secret: 'cs-MARKER-6', refresh_token: 'rt-MARKER-7', access_token: 'at-MARKER-8' } } },
      headers: { authorization: 'Bearer MARKER-9', 'x-api-key': 'key-MARKER-10', cookie: 'sid=MARKER-11' },
      credentials: { nmbrs: { username: 'u', token: 't-MARKER-12' } },
      credentialsVersion: 4,
    },
    'with secrets',
  );
  const line = cap.lines.join('');
  expect(line).not.toMatch(/MARKER/);
  expect(cap.entries()[0]).toMatchObject({ password: '[REDACTED]', credentialsVersion: 4 });
});

test('bodies are never logged, and an error loses its request/config but keeps message and stack', () => {
  const err = Object.assign(new Error('SOAP fault 1002'), {
    code: 'E1002',
    config: { data: '<Password>cfg-MARKER</Password>' },
    request: { body: 'req-MARKER' },
    response: { data: 'resp-MARKER' },
  });
  logger().error({ err, body: { anything: 'body-MARKER' }, nested: { error: err } }, 'failed');
  const e = cap.entries()[0] as { err: Record<string, unknown>; body: unknown };
  expect(cap.lines.join('')).not.toMatch(/MARKER/);
  expect(e.err).toMatchObject({ type: 'Error', message: 'SOAP fault 1002', code: 'E1002' });
  expect(String(e.err.stack)).toContain('SOAP fault 1002');
  expect(e.body).toBe('[omitted]');
});

test('a remembered credential value is scrubbed under any key and inside messages and stacks', () => {
  rememberSecrets({ username: 'demo-user', token: 'Zq9-unexpected-MARKER-xyz' });
  logger().warn({ weird: { field: 'prefix Zq9-unexpected-MARKER-xyz suffix' } }, 'message with Zq9-unexpected-MARKER-xyz');
  logger().error({ err: new Error('bad token Zq9-unexpected-MARKER-xyz') }, 'x');
  childLogger({ note: 'Zq9-unexpected-MARKER-xyz' }).info('bound');
  expect(cap.lines).toHaveLength(3);
  expect(cap.lines.join('')).not.toContain('Zq9-unexpected-MARKER-xyz');
  expect(cap.lines.join('')).toContain('[REDACTED]');
});

test('config keys are scrubbed', () => {
  configureLogging({ KOPPELWERK_OPERATOR_API_KEY: 'op_config_MARKER_0123456789abcdef', MONGODB_URI: 'mongodb://app:mongo-MARKER-pw@db:27017' });
  logger().info(`key op_config_MARKER_0123456789abcdef and mongo-MARKER-pw`);
  expect(cap.lines.join('')).not.toMatch(/MARKER/);
});

test('Temporal log metadata: koppeling ids parsed from the workflow id, runId from workflowRunId', () => {
  expect(idsFromWorkflowId('koppeling/acme/k1/cycle-12-abcd1234')).toEqual({ tenantId: 'acme', koppelingId: 'k1', cycleNo: 12 });
  expect(idsFromWorkflowId('other')).toEqual({});
  expect(temporalFields({ workflowId: 'koppeling/acme/k1', workflowRunId: 'r1', [Symbol('ts')]: 1n })).toEqual({
    tenantId: 'acme',
    koppelingId: 'k1',
    workflowId: 'koppeling/acme/k1',
    workflowRunId: 'r1',
    runId: 'r1',
  });
  new PinoTemporalLogger().info('Activity completed', { workflowId: 'koppeling/acme/k1/cycle-2-x', activityType: 'scan', sdkComponent: 'activity' });
  expect(cap.entries()[0]).toMatchObject({ msg: 'Activity completed', tenantId: 'acme', koppelingId: 'k1', cycleNo: 2, activityType: 'scan' });
});

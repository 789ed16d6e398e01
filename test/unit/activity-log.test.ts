import { rememberSecrets } from '../../src/platform/log';
import { redact, REDACTED } from '../../src/store/activity-log';

describe('activity log redaction', () => {
  it('removes credential-like keys at any depth, in arrays too, and keeps the rest', () => {
    const input = {
      Name: 'Koffie',
      body: 'lange beschrijving', // Visma.net's long description, not an HTTP body
      password: 'hunter22',
      nested: { deeper: [{ accessToken: 'eyJhbGciOi.abc.def', refresh_token: 'r-123', keep: 1 }] },
      headers: { Authorization: 'Bearer abcdefghijkl', 'x-api-key': 'k-1234567', 'content-type': 'application/json' },
      client_secret: 's3cr3t!!',
      apiKey: 'A'.repeat(20),
      ClientAssertion: 'jwt',
      sessionId: 'sess-1',
      tokenType: 'Bearer',
      empty: { secret: '' },
    };
    const out = redact(input) as Record<string, any>;
    expect(out.Name).toBe('Koffie');
    expect(out.body).toBe('lange beschrijving');
    expect(out.password).toBe(REDACTED);
    expect(out.nested.deeper[0]).toEqual({ accessToken: REDACTED, refresh_token: REDACTED, keep: 1 });
    expect(out.headers).toEqual({ Authorization: REDACTED, 'x-api-key': REDACTED, 'content-type': 'application/json' });
    expect(out.client_secret).toBe(REDACTED);
    expect(out.apiKey).toBe(REDACTED);
    expect(out.ClientAssertion).toBe(REDACTED);
    expect(out.sessionId).toBe(REDACTED);
    expect(out.tokenType).toBe(REDACTED);
    expect(JSON.stringify(out)).not.toMatch(/hunter22|eyJhbGciOi|r-123|abcdefghijkl|k-1234567|s3cr3t|AAAAAAAAAA|sess-1/);
    expect(input.password).toBe('hunter22'); // never mutates
  });

  it('scrubs bearer tokens and remembered secret values inside strings', () => {
    rememberSecrets({ clientSecret: 'remembered-secret-value' });
    const out = redact({ answer: 'call with Bearer eyJ0eXAi.x.y failed; secret remembered-secret-value leaked', note: 'Basic dXNlcjpwYXNz' }) as Record<string, string>;
    expect(out.answer).not.toContain('eyJ0eXAi');
    expect(out.answer).not.toContain('remembered-secret-value');
    expect(out.note).toBe(`Basic ${REDACTED}`);
  });

  it('renames keys MongoDB refuses and bounds size and depth', () => {
    let deep: Record<string, unknown> = { end: true };
    for (let i = 0; i < 20; i++) deep = { d: deep };
    const out = redact({ $type: 'x', 'a.b': 1, long: 'x'.repeat(10_000), list: Array.from({ length: 1000 }, (_, i) => i), deep }) as Record<string, any>;
    expect(out._type).toBe('x');
    expect(out.a_b).toBe(1);
    expect(out.long.length).toBeLessThanOrEqual(4_001);
    expect(out.list).toHaveLength(500);
    expect(JSON.stringify(out.deep)).toContain('[…]');
  });
});

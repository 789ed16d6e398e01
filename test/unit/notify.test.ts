import { retryDelayMs, signWebhook, verifyWebhook } from '../../src/platform/notify';

describe('tenant webhook signing', () => {
  const secret = 'whsec_test';
  const body = JSON.stringify({ id: 'n1', kind: 'cycle_failed', message: 'Synchronisatie #3 mislukt' });
  const now = Date.parse('2026-12-02T20:00:00Z');
  const ts = now / 1000;

  it('verifies its own signature and refuses a changed body, another secret, an old timestamp', () => {
    const signature = signWebhook(secret, ts, body);
    expect(signature).toMatch(/^v1=[0-9a-f]{64}$/);
    expect(verifyWebhook(secret, { timestamp: String(ts), signature }, body, now)).toBe(true);
    expect(verifyWebhook(secret, { timestamp: String(ts), signature }, body.replace('#3', '#4'), now)).toBe(false);
    expect(verifyWebhook('whsec_other', { timestamp: String(ts), signature }, body, now)).toBe(false);
    expect(verifyWebhook(secret, { timestamp: String(ts), signature }, body, now + 301_000)).toBe(false);
    expect(verifyWebhook(secret, { timestamp: 'x', signature }, body, now)).toBe(false);
    expect(verifyWebhook(secret, { timestamp: String(ts) }, body, now)).toBe(false);
  });

  it('backs off exponentially up to an hour', () => {
    expect([1, 2, 3, 4].map((a) => retryDelayMs(10_000, a))).toEqual([10_000, 20_000, 40_000, 80_000]);
    expect(retryDelayMs(10_000, 40)).toBe(3_600_000);
  });
});

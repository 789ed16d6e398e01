import { ConfigError, loadConfig } from '../../src/config';
import { newKeyB64 } from '../../src/domain/crypto';

const good = () => ({
  MONGODB_URI: 'mongodb://127.0.0.1:27017',
  KOPPELWERK_CREDENTIALS_KEY: newKeyB64(),
  KOPPELWERK_CODEC_KEY: newKeyB64(),
  KOPPELWERK_OPERATOR_API_KEY: 'op-key-0123456789abcdefghijkl',
});

describe('config', () => {
  it('accepts a minimal environment and fills defaults', () => {
    const c = loadConfig(good());
    expect(c.PORT).toBe(3000);
    expect(c.TEMPORAL_ADDRESS).toBe('127.0.0.1:7233');
    expect(c.KOPPELWERK_CODEC_UI_TOKEN).toBeUndefined();
    expect(c.KOPPELWERK_UI_ORIGIN).toBe('http://localhost:8233');
  });

  it('derives the Web UI origin from TEMPORAL_UI_PORT unless KOPPELWERK_UI_ORIGIN is set', () => {
    expect(loadConfig({ ...good(), TEMPORAL_UI_PORT: '9233' }).KOPPELWERK_UI_ORIGIN).toBe('http://localhost:9233');
    expect(loadConfig({ ...good(), TEMPORAL_UI_PORT: '9233', KOPPELWERK_UI_ORIGIN: 'https://ui.example' }).KOPPELWERK_UI_ORIGIN).toBe('https://ui.example');
  });

  it('lists every bad variable in one error, without echoing key material', () => {
    let err: unknown;
    try {
      loadConfig({ ...good(), PORT: 'eighty', MONGODB_URI: 'postgres://x', KOPPELWERK_CODEC_KEY: 'short-secret', TEMPORAL_ADDRESS: 'nohost' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const msg = (err as Error).message;
    for (const name of ['PORT', 'MONGODB_URI', 'KOPPELWERK_CODEC_KEY', 'TEMPORAL_ADDRESS']) expect(msg).toContain(name);
    expect(msg).not.toContain('short-secret');
    expect((err as ConfigError).problems).toHaveLength(4);
  });

  it('parses old-key lists for rotation and rejects malformed entries', () => {
    const old = newKeyB64();
    expect(loadConfig({ ...good(), KOPPELWERK_CREDENTIALS_OLD_KEYS: `c0:${old}` }).KOPPELWERK_CREDENTIALS_OLD_KEYS).toEqual({ c0: old });
    expect(() => loadConfig({ ...good(), KOPPELWERK_CREDENTIALS_OLD_KEYS: 'c0:abc' })).toThrow(/KOPPELWERK_CREDENTIALS_OLD_KEYS/);
  });
});

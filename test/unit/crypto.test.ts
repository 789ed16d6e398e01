import { decryptBytes, encryptBytes, makeKeyring, newKeyB64, open, seal } from '../../src/domain/crypto';
import { canonicalJson, contentHash } from '../../src/domain/hash';

describe('crypto', () => {
  const k1 = newKeyB64();
  const k2 = newKeyB64();

  it('round-trips and hides the plaintext', () => {
    const ring = makeKeyring('k1', k1);
    const box = seal(ring, { token: 'super-secret-token' }, 'koppeling-1');
    expect(box.keyId).toBe('k1');
    expect(Buffer.from(box.data, 'base64').toString('utf8')).not.toContain('super-secret-token');
    expect(open(ring, box, 'koppeling-1')).toEqual({ token: 'super-secret-token' });
  });

  it('uses fresh IVs: the same value seals differently', () => {
    const ring = makeKeyring('k1', k1);
    expect(seal(ring, 'x').data).not.toBe(seal(ring, 'x').data);
  });

  it('decrypts with a rotated-out key kept as an old key', () => {
    const box = seal(makeKeyring('k1', k1), 'v');
    const rotated = makeKeyring('k2', k2, { k1 });
    expect(open(rotated, box)).toBe('v');
    expect(seal(rotated, 'v').keyId).toBe('k2');
  });

  it('rejects tampering, a wrong owner (AAD) and unknown keys', () => {
    const ring = makeKeyring('k1', k1);
    const { keyId, bytes } = encryptBytes(ring, Buffer.from('hello'), 'a');
    const bad = Buffer.from(bytes);
    bad[14] ^= 1;
    expect(() => decryptBytes(ring, keyId, bad, 'a')).toThrow();
    expect(() => decryptBytes(ring, keyId, bytes, 'b')).toThrow();
    expect(() => decryptBytes(ring, 'nope', bytes, 'a')).toThrow(/unknown encryption key id/);
    expect(() => makeKeyring('x', Buffer.alloc(16).toString('base64'))).toThrow(/32 bytes/);
  });
});

describe('content hash', () => {
  it('ignores key order and undefined, sees value changes', () => {
    expect(canonicalJson({ b: 1, a: [1, { d: 2, c: undefined }] })).toBe('{"a":[1,{"d":2}],"b":1}');
    expect(contentHash({ a: 1, b: 2 })).toBe(contentHash({ b: 2, a: 1 }));
    expect(contentHash({ a: 1 })).not.toBe(contentHash({ a: 2 }));
  });
});

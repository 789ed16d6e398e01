/**
 * AES-256-GCM for secrets at rest (credentials) and for Temporal payloads. Each ciphertext names the
 * key it was made with, so keys can rotate: encrypt with the active key, decrypt with any known one.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export interface Keyring {
  activeKeyId: string;
  keys: Record<string, Buffer>;
}

export interface SealedBox {
  keyId: string;
  /** base64 of iv (12 bytes) | ciphertext | tag (16 bytes) */
  data: string;
}

export function makeKeyring(activeKeyId: string, activeKeyB64: string, older: Record<string, string> = {}): Keyring {
  const keys: Record<string, Buffer> = {};
  for (const [id, k] of Object.entries(older)) keys[id] = Buffer.from(k, 'base64');
  keys[activeKeyId] = Buffer.from(activeKeyB64, 'base64');
  for (const [id, k] of Object.entries(keys)) {
    if (k.length !== 32) throw new Error(`key ${id} must be 32 bytes`);
  }
  return { activeKeyId, keys };
}

/** `aad` binds the ciphertext to its owner (e.g. the koppeling id), so a box cannot be moved. */
export function encryptBytes(ring: Keyring, plain: Uint8Array, aad?: string): { keyId: string; bytes: Buffer } {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', ring.keys[ring.activeKeyId], iv);
  if (aad) cipher.setAAD(Buffer.from(aad, 'utf8'));
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return { keyId: ring.activeKeyId, bytes: Buffer.concat([iv, body, cipher.getAuthTag()]) };
}

export function decryptBytes(ring: Keyring, keyId: string, bytes: Uint8Array, aad?: string): Buffer {
  const key = ring.keys[keyId];
  if (!key) throw new Error(`unknown encryption key id "${keyId}" (rotated out of the keyring?)`);
  const buf = Buffer.from(bytes);
  if (buf.length < 28) throw new Error('ciphertext too short');
  const decipher = createDecipheriv('aes-256-gcm', key, buf.subarray(0, 12));
  if (aad) decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(buf.subarray(buf.length - 16));
  return Buffer.concat([decipher.update(buf.subarray(12, buf.length - 16)), decipher.final()]);
}

export function seal(ring: Keyring, value: unknown, aad?: string): SealedBox {
  const { keyId, bytes } = encryptBytes(ring, Buffer.from(JSON.stringify(value), 'utf8'), aad);
  return { keyId, data: bytes.toString('base64') };
}

export function open<T = unknown>(ring: Keyring, box: SealedBox, aad?: string): T {
  return JSON.parse(decryptBytes(ring, box.keyId, Buffer.from(box.data, 'base64'), aad).toString('utf8')) as T;
}

export function newKeyB64(): string {
  return randomBytes(32).toString('base64');
}

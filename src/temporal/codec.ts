/**
 * AES-256-GCM payload codec: every payload (inputs, results, signals, memo, summaries, failure
 * attributes) is encrypted before it reaches the Temporal server. The key id travels in metadata,
 * so keys can rotate. A second line of defence: secrets never enter workflow history anyway.
 */
import type { Payload, PayloadCodec } from '@temporalio/common';
import { decryptBytes, encryptBytes, type Keyring } from '../domain/crypto';

const ENCODING = 'binary/encrypted';
const te = new TextEncoder();
const td = new TextDecoder();

export class AesGcmPayloadCodec implements PayloadCodec {
  constructor(private readonly ring: Keyring) {}

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((p) => {
      const { keyId, bytes } = encryptBytes(this.ring, serialize(p));
      return {
        metadata: { encoding: te.encode(ENCODING), 'encryption-key-id': te.encode(keyId) },
        data: new Uint8Array(bytes),
      };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((p) => {
      if (!p.metadata || td.decode(p.metadata.encoding ?? new Uint8Array()) !== ENCODING) return p;
      const keyIdBytes = p.metadata['encryption-key-id'];
      if (!keyIdBytes) throw new Error('encrypted payload without encryption-key-id');
      return deserialize(decryptBytes(this.ring, td.decode(keyIdBytes), p.data ?? new Uint8Array()));
    });
  }
}

/** Payload → bytes: metadata and data as a small JSON envelope (base64 fields). */
function serialize(p: Payload): Buffer {
  const metadata: Record<string, string> = {};
  for (const [k, v] of Object.entries(p.metadata ?? {})) metadata[k] = Buffer.from(v as Uint8Array).toString('base64');
  return Buffer.from(JSON.stringify({ m: metadata, d: Buffer.from(p.data ?? new Uint8Array()).toString('base64') }), 'utf8');
}

function deserialize(bytes: Buffer): Payload {
  const { m, d } = JSON.parse(bytes.toString('utf8')) as { m: Record<string, string>; d: string };
  const metadata: Record<string, Uint8Array> = {};
  for (const [k, v] of Object.entries(m)) metadata[k] = new Uint8Array(Buffer.from(v, 'base64'));
  return { metadata, data: new Uint8Array(Buffer.from(d, 'base64')) };
}

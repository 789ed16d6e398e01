/**
 * Codec endpoint for the Temporal Web UI ("Configure data encoder"): proto-JSON payloads in and out.
 * Operator only: it decrypts anything. In local dev the embedded UI (loopback, its own origin) may be
 * trusted without a key (KOPPELWERK_CODEC_TRUST_LOCAL_UI), because the UI cannot send our header.
 */
import type { Payload } from '@temporalio/common';
import { codecBody } from '../schemas';
import { defineRoute } from '../route';

type JsonPayload = { metadata?: Record<string, string>; data?: string };

function fromJson(p: JsonPayload): Payload {
  return {
    metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, new Uint8Array(Buffer.from(v, 'base64'))])),
    data: new Uint8Array(Buffer.from(p.data ?? '', 'base64')),
  };
}

function toJson(p: Payload): JsonPayload {
  return {
    metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v as Uint8Array).toString('base64')])),
    data: Buffer.from(p.data ?? new Uint8Array()).toString('base64'),
  };
}

export const codecDecode = defineRoute({
  method: 'post',
  path: '/codec/decode',
  summary: 'Decrypt payloads for the Temporal Web UI (operator)',
  tag: 'codec',
  auth: 'operator',
  body: codecBody,
  responses: { 200: 'decoded payloads', 400: 'invalid body', 401: 'no key', 403: 'not the operator' },
  handler: async ({ ctx, body }) => ({ payloads: (await ctx.codec.decode(body.payloads.map(fromJson))).map(toJson) }),
});

export const codecEncode = defineRoute({
  method: 'post',
  path: '/codec/encode',
  summary: 'Encrypt payloads for the Temporal Web UI and CLI (operator)',
  tag: 'codec',
  auth: 'operator',
  body: codecBody,
  responses: { 200: 'encoded payloads', 400: 'invalid body', 401: 'no key', 403: 'not the operator' },
  handler: async ({ ctx, body }) => ({ payloads: (await ctx.codec.encode(body.payloads.map(fromJson))).map(toJson) }),
});

/**
 * Codec endpoint for the Temporal Web UI ("Configure data encoder") and the CLI: proto-JSON payloads
 * in and out. It decrypts anything, so it needs the operator key (`Authorization: Bearer`).
 *
 * The embedded dev UI (npm start) cannot send a header, so it is given a secret URL instead:
 * `/codec/ui/<KOPPELWERK_CODEC_UI_TOKEN>` as its codec endpoint. Trust rests on that token (fresh
 * each start, compared in constant time) and on the peer being loopback, not on an Origin header
 * any client can set. Without the token configured (production) these two routes answer 404.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import type { Payload } from '@temporalio/common';
import { isLoopbackAddress } from '../../domain/loopback';
import type { ApiContext } from '../context';
import { codecBody } from '../schemas';
import { defineRoute, HttpError } from '../route';

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

/**
 * Decode one payload at a time, so a payload we cannot decrypt (unknown key id, tampered bytes,
 * not our envelope) is a 400 naming that payload, not a 500.
 */
async function decodeAll(ctx: ApiContext, payloads: JsonPayload[]): Promise<{ payloads: JsonPayload[] }> {
  const out: JsonPayload[] = [];
  const issues: { field: string; reason: string }[] = [];
  for (const [i, p] of payloads.entries()) {
    try {
      const [decoded] = await ctx.codec.decode([fromJson(p)]);
      out.push(toJson(decoded));
    } catch (err) {
      issues.push({ field: `payloads.${i}`, reason: `cannot decode: ${err instanceof Error ? err.message : String(err)}` });
    }
  }
  if (issues.length) throw new HttpError(400, 'Ongeldige invoer', issues);
  return { payloads: out };
}

async function encodeAll(ctx: ApiContext, payloads: JsonPayload[]): Promise<{ payloads: JsonPayload[] }> {
  return { payloads: (await ctx.codec.encode(payloads.map(fromJson))).map(toJson) };
}

function sameSecret(a: string, b: string): boolean {
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}

/** The dev UI's secret codec URL: configured, the right token, and a loopback peer. */
export function assertUiToken(ctx: ApiContext, req: Request, token: string): void {
  const expected = ctx.config.KOPPELWERK_CODEC_UI_TOKEN;
  if (!expected) throw new HttpError(404, 'Niet gevonden.');
  if (!sameSecret(token, expected)) throw new HttpError(401, 'Onbekende codec-URL.');
  if (!isLoopbackAddress(req.socket.remoteAddress)) throw new HttpError(403, 'De codec-URL van de lokale Web UI werkt alleen vanaf deze machine.');
}

const responses = { 200: 'payloads', 400: 'invalid body, or a payload that cannot be decoded', 401: 'no key', 403: 'not the operator' };
const uiResponses = { 200: 'payloads', 400: 'invalid body, or a payload that cannot be decoded', 401: 'wrong token', 403: 'not a loopback peer', 404: 'no UI token configured' };

export const codecDecode = defineRoute({
  method: 'post',
  path: '/codec/decode',
  summary: 'Decrypt payloads for the Temporal Web UI (operator)',
  tag: 'codec',
  auth: 'operator',
  body: codecBody,
  responses,
  handler: async ({ ctx, body }) => decodeAll(ctx, body.payloads),
});

export const codecEncode = defineRoute({
  method: 'post',
  path: '/codec/encode',
  summary: 'Encrypt payloads for the Temporal Web UI and CLI (operator)',
  tag: 'codec',
  auth: 'operator',
  body: codecBody,
  responses,
  handler: async ({ ctx, body }) => encodeAll(ctx, body.payloads),
});

export const codecUiDecode = defineRoute({
  method: 'post',
  path: '/codec/ui/:token/decode',
  summary: 'Decrypt payloads for the embedded dev Web UI (secret URL, loopback only; npm start)',
  tag: 'codec',
  auth: 'public',
  body: codecBody,
  responses: uiResponses,
  handler: async ({ ctx, req, params, body }) => (assertUiToken(ctx, req, params.token), decodeAll(ctx, body.payloads)),
});

export const codecUiEncode = defineRoute({
  method: 'post',
  path: '/codec/ui/:token/encode',
  summary: 'Encrypt payloads for the embedded dev Web UI (secret URL, loopback only; npm start)',
  tag: 'codec',
  auth: 'public',
  body: codecBody,
  responses: uiResponses,
  handler: async ({ ctx, req, params, body }) => (assertUiToken(ctx, req, params.token), encodeAll(ctx, body.payloads)),
});

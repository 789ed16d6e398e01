/**
 * Connections: a tenant's account at one external system, shared by koppelingen. Secrets are
 * validated against the system's credential schema, stored encrypted, and never returned.
 */
import type { Request } from 'express';
import { z } from 'zod';
import { credentialSchemaFor } from '../../store/credential-schemas';
import { oauth2SystemFor } from '../../oauth/systems';
import { connectionView } from '../../services/connections';
import { publicUrl } from '../../oauth/public-url';
import type { ConnectionDoc } from '../../store/connections';
import { assertTenantAccess, type Principal } from '../auth';
import type { ApiContext } from '../context';
import { defineRoute, HttpError, zodIssues } from '../route';

const idPattern = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, _ and - only (max 64)');

export const createConnectionBody = z
  .object({
    tenantId: idPattern.optional(),
    system: z.string().min(1).max(64),
    name: z.string().min(1).max(200).optional(),
    /** Static systems only: the fields of the system's credential schema. */
    credentials: z.record(z.string()).optional(),
  })
  .strict();

export const updateConnectionBody = z
  .object({ name: z.string().min(1).max(200).optional(), credentials: z.record(z.string()).optional() })
  .strict()
  .refine((b) => Object.keys(b).length > 0, 'give at least one of name, credentials');

export const listConnectionsQuery = z.object({ tenantId: idPattern.optional(), system: z.string().optional() }).strict();

export const authorizeQuery = z.object({ mode: z.enum(['redirect', 'json']).default('redirect') }).strict();

function service(ctx: ApiContext) {
  if (!ctx.connections) throw new Error('connections not configured');
  return ctx.connections;
}

export async function loadConnection(ctx: ApiContext, principal: Principal, id: string): Promise<ConnectionDoc> {
  const c = await service(ctx).connections.get(id);
  if (!c) throw new HttpError(404, `Verbinding ${id} bestaat niet.`);
  assertTenantAccess(principal, c.tenantId);
  return c;
}

/** The static credentials of a system, validated by its schema (400 with every field otherwise). */
export function parseCredentials(system: string, value: unknown, prefix = 'credentials'): Record<string, string> {
  const schema = credentialSchemaFor(system);
  if (!schema) throw new HttpError(400, 'Ongeldige invoer', [{ field: 'system', reason: `unknown system "${system}"` }]);
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new HttpError(400, 'Ongeldige invoer', zodIssues(parsed.error, prefix));
  return parsed.data;
}

/** The URL the provider sends the browser back to: the configured public URL, else this request's host. */
export function redirectUri(ctx: ApiContext, req: Request): string {
  const base = (ctx.config.KOPPELWERK_PUBLIC_URL || ctx.config.PORT) ? publicUrl(ctx.config) : `${req.protocol}://${req.get('host')}`;
  return `${base}/oauth/callback`;
}

const view = async (ctx: ApiContext, c: ConnectionDoc) => connectionView(c, (await service(ctx).usage(c.tenantId)).get(c._id) ?? [], publicUrl(ctx.config));

export const createConnection = defineRoute({
  method: 'post',
  path: '/connections',
  summary: 'Create a connection (static credentials, stored encrypted; or OAuth2, then authorize). An identical static one is reused',
  tag: 'connections',
  auth: 'any',
  body: createConnectionBody,
  responses: { 200: 'an identical existing connection', 201: 'the new connection', 400: 'invalid body: every bad field listed', 403: 'other tenant' },
  handler: async ({ ctx, principal, body, res }) => {
    const tenantId = body.tenantId ?? (principal.kind === 'tenant' ? principal.tenantId : undefined);
    if (!tenantId) throw new HttpError(400, 'Ongeldige invoer', [{ field: 'tenantId', reason: 'Required' }]);
    assertTenantAccess(principal, tenantId);
    if (!(await ctx.tenants.get(tenantId))) throw new HttpError(400, 'Ongeldige invoer', [{ field: 'tenantId', reason: `unknown tenant "${tenantId}"` }]);
    let credentials: Record<string, string> | undefined;
    if (oauth2SystemFor(body.system)) {
      if (body.credentials) throw new HttpError(400, 'Ongeldige invoer', [{ field: 'credentials', reason: `${body.system} uses OAuth2: authorize instead` }]);
    } else {
      credentials = parseCredentials(body.system, body.credentials);
    }
    const { doc, created } = await service(ctx).create({ tenantId, system: body.system, name: body.name, credentials });
    res.status(created ? 201 : 200);
    return view(ctx, doc);
  },
});

export const listConnections = defineRoute({
  method: 'get',
  path: '/connections',
  summary: 'List connections with their health and the koppelingen using them (no secrets)',
  tag: 'connections',
  auth: 'any',
  query: listConnectionsQuery,
  responses: { 200: 'connections', 400: 'invalid query', 403: 'other tenant' },
  handler: async ({ ctx, principal, query }) => {
    let tenantId = query.tenantId;
    if (principal.kind === 'tenant') {
      if (tenantId) assertTenantAccess(principal, tenantId);
      tenantId = principal.tenantId;
    }
    const [docs, usage] = await Promise.all([service(ctx).connections.list({ tenantId, system: query.system }), service(ctx).usage(tenantId)]);
    return { items: docs.map((c) => connectionView(c, usage.get(c._id) ?? [], publicUrl(ctx.config))) };
  },
});

export const getConnection = defineRoute({
  method: 'get',
  path: '/connections/:id',
  summary: 'A connection: system, fields present, health (authorised, expires at, last refresh, last error), koppelingen',
  tag: 'connections',
  auth: 'any',
  responses: { 200: 'the connection', 403: 'other tenant', 404: 'unknown' },
  handler: async ({ ctx, principal, params }) => view(ctx, await loadConnection(ctx, principal, params.id)),
});

export const updateConnection = defineRoute({
  method: 'put',
  path: '/connections/:id',
  summary: 'Rename, or replace the static credentials (every koppeling on it gets reauthorized)',
  tag: 'connections',
  auth: 'any',
  body: updateConnectionBody,
  responses: { 200: 'the connection', 400: 'invalid body', 403: 'other tenant', 404: 'unknown', 409: 'a koppeling on it would book what another linked koppeling books' },
  handler: async ({ ctx, principal, params, body }) => {
    const c = await loadConnection(ctx, principal, params.id);
    if (body.credentials && c.kind === 'oauth2') {
      throw new HttpError(400, 'Ongeldige invoer', [{ field: 'credentials', reason: `${c.system} uses OAuth2: authorize instead` }]);
    }
    const credentials = body.credentials ? parseCredentials(c.system, body.credentials) : undefined;
    return view(ctx, await service(ctx).replace(c, { name: body.name, credentials }, ctx.service));
  },
});

export const authorizeConnection = defineRoute({
  method: 'get',
  path: '/connections/:id/authorize',
  summary: 'OAuth2: redirect to the provider (state bound to tenant + connection, single use, 10 minutes; PKCE S256). mode=json returns the URL',
  tag: 'connections',
  auth: 'any',
  query: authorizeQuery,
  responses: { 200: '{ authorizeUrl } (mode=json)', 302: 'to the provider', 400: 'not an OAuth2 connection', 403: 'other tenant', 404: 'unknown' },
  handler: async ({ ctx, principal, params, query, req, res }) => {
    const c = await loadConnection(ctx, principal, params.id);
    const url = await service(ctx).authorizeUrl(c, redirectUri(ctx, req));
    if (query.mode === 'json') return { authorizeUrl: url };
    res.redirect(302, url);
    return undefined;
  },
});

/**
 * For POST /koppelingen: undefined when the system's credentials come inline; null when the given
 * connection is fine; otherwise the issue (unknown, other tenant, other system, both given, or an
 * OAuth2 system without a connection).
 */
export async function checkConnection(
  ctx: ApiContext,
  tenantId: string,
  system: string,
  connectionId: string | undefined,
  inline: unknown,
): Promise<{ field: string; reason: string } | null | undefined> {
  const field = `connections.${system}`;
  if (!connectionId) {
    return oauth2SystemFor(system) ? { field, reason: `${system} uses OAuth2: create a connection (POST /connections), authorize it, and give its id here` } : undefined;
  }
  if (inline !== undefined) return { field, reason: 'give either credentials or a connection for a system, not both' };
  const c = await service(ctx).connections.get(connectionId);
  if (!c || c.tenantId !== tenantId) return { field, reason: `unknown connection "${connectionId}"` };
  if (c.system !== system) return { field, reason: `connection "${connectionId}" is for ${c.system}, not ${system}` };
  return null;
}

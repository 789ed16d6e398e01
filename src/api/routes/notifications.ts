/**
 * Tenant monitoring: the tenant's webhook (PUT/GET/DELETE /tenants/:tenantId/webhook; the signing
 * secret is shown once, when it is made) and the notifications with every delivery attempt
 * (GET /notifications). Signing and retries: src/platform/notify.ts.
 */
import { z } from 'zod';
import { NOTIFICATION_KINDS, NOTIFICATION_STATUSES, type NotificationDoc } from '../../store/notifications';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER } from '../../platform/notify';
import { assertTenantAccess } from '../auth';
import { defineRoute, HttpError } from '../route';
import { VALID_ID } from './load';
import type { ApiContext } from '../context';

const id = z.string().regex(VALID_ID, 'letters, digits, _ and - only (max 64)');

/** zod runs refinements after a failed .url() too: never let `new URL` throw into a 500. */
function parsedUrl(u: string): URL | undefined {
  try {
    return new URL(u);
  } catch {
    return undefined;
  }
}

export const webhookBody = z
  .object({
    url: z
      .string()
      .max(2000)
      .url()
      .refine((u) => /^https?:$/.test(parsedUrl(u)?.protocol ?? ''), 'http(s) only')
      // Userinfo would be a credential stored in the clear: the signature is the authentication.
      .refine((u) => !parsedUrl(u)?.username && !parsedUrl(u)?.password, 'no user or password in the URL; verify the signature instead'),
    rotateSecret: z.boolean().default(false),
  })
  .strict();

export const notificationsQuery = z
  .object({
    tenantId: id.optional(),
    koppelingId: id.optional(),
    status: z.enum(NOTIFICATION_STATUSES).optional(),
    kind: z.enum(NOTIFICATION_KINDS).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  })
  .strict();

async function knownTenant(ctx: ApiContext, tenantId: string): Promise<void> {
  if (!VALID_ID.test(tenantId) || !(await ctx.tenants.get(tenantId))) throw new HttpError(404, `Tenant ${tenantId} bestaat niet.`);
}

export const putWebhook = defineRoute({
  method: 'put',
  path: '/tenants/:tenantId/webhook',
  summary: "Set the tenant's monitoring webhook; a new signing secret (shown once) when there is none or rotateSecret",
  tag: 'tenants',
  auth: 'any',
  body: webhookBody,
  responses: { 200: 'the webhook; secret only when new', 400: 'invalid body', 403: 'other tenant', 404: 'unknown tenant' },
  handler: async ({ ctx, principal, params, body }) => {
    assertTenantAccess(principal, params.tenantId);
    await knownTenant(ctx, params.tenantId);
    const r = await ctx.notifications.setWebhook(params.tenantId, body.url, body.rotateSecret);
    return {
      tenantId: params.tenantId,
      url: r.url,
      ...(r.secret ? { secret: r.secret } : {}),
      signing: { algorithm: 'HMAC-SHA256 over "<timestamp>.<raw body>"', timestampHeader: TIMESTAMP_HEADER, signatureHeader: SIGNATURE_HEADER, format: 'v1=<hex>' },
    };
  },
});

export const getWebhook = defineRoute({
  method: 'get',
  path: '/tenants/:tenantId/webhook',
  summary: "The tenant's monitoring webhook (never the secret)",
  tag: 'tenants',
  auth: 'any',
  responses: { 200: 'configured or not, and the URL', 403: 'other tenant', 404: 'unknown tenant' },
  handler: async ({ ctx, principal, params }) => {
    assertTenantAccess(principal, params.tenantId);
    await knownTenant(ctx, params.tenantId);
    const view = await ctx.notifications.webhookView(params.tenantId);
    return { tenantId: params.tenantId, configured: !!view, ...(view ?? {}) };
  },
});

export const deleteWebhook = defineRoute({
  method: 'delete',
  path: '/tenants/:tenantId/webhook',
  summary: "Remove the tenant's monitoring webhook (notifications are still kept and listed)",
  tag: 'tenants',
  auth: 'any',
  responses: { 200: 'removed (or there was none)', 403: 'other tenant', 404: 'unknown tenant' },
  handler: async ({ ctx, principal, params }) => {
    assertTenantAccess(principal, params.tenantId);
    await knownTenant(ctx, params.tenantId);
    return { tenantId: params.tenantId, removed: await ctx.notifications.deleteWebhook(params.tenantId) };
  },
});

function view(n: NotificationDoc) {
  const { _id, history, ...rest } = n;
  return { id: _id, ...rest, attemptsLog: history };
}

export const listNotifications = defineRoute({
  method: 'get',
  path: '/notifications',
  summary: 'Tenant notifications (failures, waiting koppelingen) with their webhook delivery: status, attempts, last HTTP status or error, next attempt',
  tag: 'tenants',
  auth: 'any',
  query: notificationsQuery,
  responses: { 200: 'a page of notifications', 400: 'invalid query', 403: 'other tenant' },
  handler: async ({ ctx, principal, query }) => {
    let tenantId = query.tenantId;
    if (principal.kind === 'tenant') {
      if (tenantId) assertTenantAccess(principal, tenantId);
      tenantId = principal.tenantId;
    }
    const page = await ctx.notifications.list({ ...query, tenantId });
    return { items: page.items.map(view), total: page.total, limit: query.limit, offset: query.offset };
  },
});

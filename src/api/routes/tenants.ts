import { apiKeyBody, tenantBody } from '../schemas';
import { defineRoute, HttpError } from '../route';
import { VALID_ID } from './load';

export const createTenant = defineRoute({
  method: 'post',
  path: '/tenants',
  summary: 'Create or rename a tenant (operator)',
  tag: 'tenants',
  auth: 'operator',
  body: tenantBody,
  responses: { 201: 'tenant', 400: 'invalid body' },
  handler: async ({ ctx, body, res }) => {
    res.status(201);
    return ctx.tenants.upsert(body.id, body.name);
  },
});

export const listTenants = defineRoute({
  method: 'get',
  path: '/tenants',
  summary: 'List tenants (operator)',
  tag: 'tenants',
  auth: 'operator',
  responses: { 200: 'tenants' },
  handler: async ({ ctx }) => ({ items: await ctx.tenants.list() }),
});

export const issueTenantKey = defineRoute({
  method: 'post',
  path: '/tenants/:tenantId/api-keys',
  summary: 'Issue an API key for a tenant; the key is shown once (operator)',
  tag: 'tenants',
  auth: 'operator',
  body: apiKeyBody,
  responses: { 201: 'the new key', 404: 'unknown tenant' },
  handler: async ({ ctx, params, body, res }) => {
    if (!VALID_ID.test(params.tenantId) || !(await ctx.tenants.get(params.tenantId))) throw new HttpError(404, `Tenant ${params.tenantId} bestaat niet.`);
    res.status(201);
    return { tenantId: params.tenantId, label: body.label, apiKey: await ctx.tenants.issueKey(params.tenantId, body.label) };
  },
});

import { getKoppelingType } from '../../domain/koppeling-types';
import type { SettingsCheck, SettingsCheckInput } from '../../koppelingen/koppeling';
import type { ApiContext } from '../context';
import { assertTenantAccess } from '../auth';
import { createKoppelingBody, listKoppelingenQuery, updateKoppelingBody } from '../schemas';
import { defineRoute, HttpError, zodIssues } from '../route';
import { koppelingView, liveStatus, loadKoppeling } from './load';
import { checkConnection } from './connections';

/** The type's own check of settings against its external systems (none: nothing to check). */
async function checkSettings(ctx: ApiContext, type: string, input: SettingsCheckInput): Promise<SettingsCheck> {
  const check = ctx.previews && Object.hasOwn(ctx.previews, type) ? ctx.previews[type].checkSettings : undefined;
  return check ? check(input) : { issues: [], warnings: [] };
}

export const createKoppeling = defineRoute({
  method: 'post',
  path: '/koppelingen',
  summary: 'Create a koppeling (credentials stored encrypted) and start its workflow',
  tag: 'koppelingen',
  auth: 'any',
  body: createKoppelingBody,
  responses: { 201: 'the koppeling', 400: 'invalid body: every bad field listed', 403: 'other tenant', 409: 'another linked koppeling already books the same data' },
  handler: async ({ ctx, principal, body, res }) => {
    const tenantId = body.tenantId ?? (principal.kind === 'tenant' ? principal.tenantId : undefined);
    if (!tenantId) throw new HttpError(400, 'Ongeldige invoer', [{ field: 'tenantId', reason: 'Required' }]);
    assertTenantAccess(principal, tenantId);
    const def = getKoppelingType(body.type);
    if (!def) throw new HttpError(400, 'Ongeldige invoer', [{ field: 'type', reason: `unknown koppeling type "${body.type}"` }]);
    // Validate settings and every credential set against the type; report all problems at once.
    const issues = [];
    const settings = def.settings.safeParse(body.settings);
    if (!settings.success) issues.push(...zodIssues(settings.error, 'settings'));
    const credentials: Record<string, Record<string, string>> = {};
    for (const [system, schema] of Object.entries(def.credentials)) {
      // A connection by id instead of inline credentials (OAuth2 systems only ever this way).
      const connectionIssue = await checkConnection(ctx, tenantId, system, body.connections[system], body.credentials[system]);
      if (connectionIssue !== undefined) {
        if (connectionIssue) issues.push(connectionIssue);
        continue;
      }
      const parsed = schema.safeParse(body.credentials[system]);
      if (parsed.success) credentials[system] = parsed.data;
      else issues.push(...zodIssues(parsed.error, `credentials.${system}`));
    }
    for (const system of Object.keys(body.connections)) {
      if (!(system in def.credentials)) issues.push({ field: `connections.${system}`, reason: `not used by ${def.type}` });
    }
    for (const system of Object.keys(body.credentials)) {
      if (!Object.hasOwn(def.credentials, system)) issues.push({ field: `credentials.${system}`, reason: `not used by ${def.type}` });
    }
    if (!(await ctx.tenants.get(tenantId))) issues.push({ field: 'tenantId', reason: `unknown tenant "${tenantId}"` });
    if (issues.length || !settings.success) throw new HttpError(400, 'Ongeldige invoer', issues);
    // Checks against the external systems (e.g. a dossier directory that must be a leaf), only once the body itself is valid.
    const check = await checkSettings(ctx, body.type, { settings: settings.data, credentials });
    if (check.issues.length) throw new HttpError(400, 'Ongeldige invoer', check.issues);
    const k = await ctx.service.create({
      tenantId,
      type: body.type,
      name: body.name,
      settings: settings.data,
      cadence: body.cadence,
      mapping: body.mapping,
      credentials,
      connections: body.connections,
      start: body.start,
    });
    res.status(201);
    return { ...koppelingView(k), ...(check.warnings.length ? { warnings: check.warnings } : {}) };
  },
});

export const listKoppelingen = defineRoute({
  method: 'get',
  path: '/koppelingen',
  summary: 'List koppelingen, filtered by tenant, type and state',
  tag: 'koppelingen',
  auth: 'any',
  query: listKoppelingenQuery,
  responses: { 200: 'a page of koppelingen', 400: 'invalid query', 403: 'other tenant' },
  handler: async ({ ctx, principal, query }) => {
    let tenantId = query.tenantId;
    if (principal.kind === 'tenant') {
      if (tenantId) assertTenantAccess(principal, tenantId);
      tenantId = principal.tenantId;
    }
    const [items, total] = await ctx.koppelingen.list({ ...query, tenantId });
    return { items: items.map(koppelingView), total, limit: query.limit, offset: query.offset };
  },
});

export const getKoppeling = defineRoute({
  method: 'get',
  path: '/koppelingen/:id',
  summary: 'A koppeling: configuration and live status from the workflow',
  tag: 'koppelingen',
  auth: 'any',
  responses: { 200: 'the koppeling', 403: 'other tenant', 404: 'unknown' },
  handler: async ({ ctx, principal, params }) => {
    const k = await loadKoppeling(ctx, principal, params.id);
    return { ...koppelingView(k), ...(await liveStatus(ctx, k)) };
  },
});

export const updateKoppeling = defineRoute({
  method: 'put',
  path: '/koppelingen/:id',
  summary: 'Change name, settings or cadence (then configChanged)',
  tag: 'koppelingen',
  auth: 'any',
  body: updateKoppelingBody,
  responses: { 200: 'the koppeling', 400: 'invalid body', 403: 'other tenant', 404: 'unknown', 409: 'another linked koppeling already books the same data' },
  handler: async ({ ctx, principal, params, body }) => {
    const k = await loadKoppeling(ctx, principal, params.id);
    let settings = body.settings;
    let warnings: string[] = [];
    if (settings) {
      const parsed = getKoppelingType(k.type)!.settings.safeParse(settings);
      if (!parsed.success) throw new HttpError(400, 'Ongeldige invoer', zodIssues(parsed.error, 'settings'));
      settings = parsed.data;
      const check = await checkSettings(ctx, k.type, { settings, koppelingId: k._id });
      if (check.issues.length) throw new HttpError(400, 'Ongeldige invoer', check.issues);
      warnings = check.warnings;
    }
    const updated = koppelingView(await ctx.service.updateConfig(k, { ...body, settings }));
    return warnings.length ? { ...updated, warnings } : updated;
  },
});

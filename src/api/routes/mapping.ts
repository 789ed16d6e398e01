import { mappingBody } from '../schemas';
import { ownValue } from '../keys';
import { defineRoute, HttpError } from '../route';
import { koppelingView, loadKoppeling } from './load';

export const replaceMapping = defineRoute({
  method: 'put',
  path: '/koppelingen/:id/mapping',
  summary: 'Replace the code mapping (e.g. looncode → grootboekrekening), then signal mappingChanged',
  tag: 'koppelingen',
  auth: 'any',
  body: mappingBody,
  responses: { 200: 'the koppeling', 400: 'invalid body', 403: 'other tenant', 404: 'unknown' },
  handler: async ({ ctx, principal, params, body }) => {
    const k = await loadKoppeling(ctx, principal, params.id);
    return koppelingView(await ctx.service.replaceMapping(k, body.mapping));
  },
});

export const mappingCheck = defineRoute({
  method: 'get',
  path: '/koppelingen/:id/mapping-check',
  summary: 'Every source code seen, against the target system (e.g. dim1 against grootboekrekeningen)',
  tag: 'koppelingen',
  auth: 'any',
  responses: { 200: 'the check', 403: 'other tenant', 404: 'unknown or not supported by this type' },
  handler: async ({ ctx, principal, params }) => {
    const k = await loadKoppeling(ctx, principal, params.id);
    const check = ownValue(ctx.previews, k.type)?.mappingCheck;
    if (!check) throw new HttpError(404, `Koppelingstype ${k.type} heeft geen mappingcontrole.`);
    return check(k._id);
  },
});

export const previewKoppeling = defineRoute({
  method: 'get',
  path: '/koppelingen/:id/preview',
  summary: 'Dry run: what the next cycle would write, without writing',
  tag: 'koppelingen',
  auth: 'any',
  responses: { 200: 'the preview', 403: 'other tenant', 404: 'unknown or not supported by this type' },
  handler: async ({ ctx, principal, params }) => {
    const k = await loadKoppeling(ctx, principal, params.id);
    const preview = ownValue(ctx.previews, k.type)?.preview;
    if (!preview) throw new HttpError(404, `Koppelingstype ${k.type} heeft geen voorbeeldweergave.`);
    return preview(k._id);
  },
});

import { closePeriodBody } from '../schemas';
import { defineRoute } from '../route';
import { loadKoppeling } from './load';

export const closePeriod = defineRoute({
  method: 'post',
  path: '/koppelingen/:id/closed-periods',
  summary: 'Record a closed period (administration, year, period); it is not synced any more',
  tag: 'koppelingen',
  auth: 'any',
  body: closePeriodBody,
  responses: { 200: 'the live status', 400: 'invalid body', 403: 'other tenant', 404: 'unknown' },
  handler: async ({ ctx, principal, params, body }) => {
    const k = await loadKoppeling(ctx, principal, params.id);
    return { closedPeriod: body, live: (await ctx.service.closePeriod(k, body)) ?? null };
  },
});

import { logQuery } from '../schemas';
import { defineRoute } from '../route';
import { loadKoppeling } from './load';

export const readLog = defineRoute({
  method: 'get',
  path: '/koppelingen/:id/log',
  summary: 'The koppeling log, newest first, paged',
  tag: 'koppelingen',
  auth: 'any',
  query: logQuery,
  responses: { 200: 'a page of log entries', 400: 'invalid query', 403: 'other tenant', 404: 'unknown' },
  handler: async ({ ctx, principal, params, query }) => {
    const k = await loadKoppeling(ctx, principal, params.id);
    const page = await ctx.log.page(k._id, query);
    return { ...page, limit: query.limit, offset: query.offset };
  },
});

export const readLedger = defineRoute({
  method: 'get',
  path: '/koppelingen/:id/ledger',
  summary: 'The sync ledger: every item written to a target, with status and links',
  tag: 'koppelingen',
  auth: 'any',
  responses: { 200: 'ledger entries', 403: 'other tenant', 404: 'unknown' },
  handler: async ({ ctx, principal, params }) => {
    const k = await loadKoppeling(ctx, principal, params.id);
    return { items: await ctx.ledger.list({ koppelingId: k._id }) };
  },
});

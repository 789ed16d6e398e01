/** GET /koppelingen/:id/activity: the per-item activity log (src/store/activity-log.ts), newest first. */
import { z } from 'zod';
import { ACTIVITY_STATUSES } from '../../store/activity-log';
import { defineRoute } from '../route';
import { loadKoppeling } from './load';

const instant = z
  .string()
  .max(40)
  .refine((v) => /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/.test(v) && !Number.isNaN(Date.parse(v)), 'een datum (yyyy-MM-dd) of ISO-tijdstip met tijdzone')
  .transform((v) => new Date(v));

export const activityQuery = z
  .object({
    flow: z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, 'a flow name: lower-case letters, digits and -').optional(),
    status: z.enum(ACTIVITY_STATUSES).optional(),
    itemKey: z.string().min(1).max(200).optional(),
    from: instant.optional(),
    to: instant.optional(),
    cursor: z.string().regex(/^\d{4}-\d{2}-\d{2}T[\d:.]+Z-[0-9a-z]{4}-[0-9a-f]{8}$/, 'the nextCursor of a previous page').optional(),
    limit: z.coerce.number().int().min(1).max(500).default(50),
  })
  .strict()
  .refine((q) => !q.from || !q.to || q.from.getTime() <= q.to.getTime(), { message: 'from ligt na to', path: ['from'] });

export const readActivity = defineRoute({
  method: 'get',
  path: '/koppelingen/:id/activity',
  summary: 'The activity log: per item what came from the source, what was pushed and the answer (filter by flow, status, time; cursor paging)',
  tag: 'koppelingen',
  auth: 'any',
  query: activityQuery,
  responses: { 200: 'a page of activity entries and nextCursor', 400: 'invalid query', 403: 'other tenant', 404: 'unknown' },
  handler: async ({ ctx, principal, params, query }) => {
    const k = await loadKoppeling(ctx, principal, params.id);
    const page = await ctx.activityLog.list({ koppelingId: k._id, ...query });
    return { ...page, limit: query.limit };
  },
});

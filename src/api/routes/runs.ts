/** The seed 002 "Journal Entries Export" dashlet: runs with their sent status, and the manual send of one run. */
import { z } from 'zod';
import { ownValue } from '../keys';
import { defineRoute, HttpError } from '../route';
import { loadKoppeling } from './load';

export const listRuns = defineRoute({
  method: 'get',
  path: '/koppelingen/:id/runs',
  summary: 'Source runs with their sent status (grey = not sent, red = sent) and the target documents',
  tag: 'koppelingen',
  auth: 'any',
  responses: { 200: 'the runs', 403: 'other tenant', 404: 'unknown or not supported by this type', 409: 'Nmbrs refused the credentials', 502: 'Nmbrs unreachable' },
  handler: async ({ ctx, principal, params }) => {
    const k = await loadKoppeling(ctx, principal, params.id);
    const runs = ownValue(ctx.previews, k.type)?.runs;
    if (!runs) throw new HttpError(404, `Koppelingstype ${k.type} heeft geen runoverzicht.`);
    return runs(k._id);
  },
});

export const sendRun = defineRoute({
  method: 'post',
  path: '/koppelingen/:id/runs/:runId/send',
  summary: 'Send one processed run now (manual send), then start a cycle',
  tag: 'koppelingen',
  auth: 'any',
  body: z.object({}).strict().optional(),
  responses: { 202: 'requested; the cycle sends it', 400: 'run unknown or not processed', 403: 'other tenant', 404: 'unknown or not supported by this type', 409: 'Nmbrs refused the credentials', 502: 'Nmbrs unreachable' },
  handler: async ({ ctx, principal, params, res }) => {
    const k = await loadKoppeling(ctx, principal, params.id);
    const send = ownValue(ctx.previews, k.type)?.sendRun;
    if (!send) throw new HttpError(404, `Koppelingstype ${k.type} kent geen handmatig versturen per run.`);
    const runId = Number(params.runId);
    if (!Number.isInteger(runId) || runId <= 0) throw new HttpError(400, 'Ongeldige invoer', [{ field: 'runId', reason: 'must be a positive whole number' }]);
    const requested = await send(k._id, runId);
    const live = await ctx.service.syncNow(k, `run ${runId} handmatig versturen`);
    res.status(202);
    return { ...(requested as object), live };
  },
});

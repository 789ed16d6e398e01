/** Lifecycle actions on a koppeling's workflow. Updates give a validated answer (409 with the reason). */
import { reasonBody } from '../schemas';
import { defineRoute } from '../route';
import { liveStatus, loadKoppeling } from './load';

const responses = { 200: 'the live status', 403: 'other tenant', 404: 'unknown', 409: 'refused, with the reason' };

export const startKoppeling = defineRoute({
  method: 'post',
  path: '/koppelingen/:id/start',
  summary: 'Start (or link again) the koppeling workflow; idempotent',
  tag: 'actions',
  auth: 'any',
  responses,
  handler: async ({ ctx, principal, params }) => {
    const k = await loadKoppeling(ctx, principal, params.id);
    await ctx.service.start(k._id, { claim: true });
    // The start succeeded; a status query that fails now must not turn that into an error.
    return { started: true, ...(await liveStatus(ctx, k)) };
  },
});

export const stopKoppeling = defineRoute({
  method: 'post',
  path: '/koppelingen/:id/stop',
  summary: 'Unlink: the workflow ends after its current cycle; ledger and configuration are kept',
  tag: 'actions',
  auth: 'any',
  responses,
  handler: async ({ ctx, principal, params }) => {
    const k = await loadKoppeling(ctx, principal, params.id);
    await ctx.service.stop(k);
    return { stopped: true };
  },
});

export const pauseKoppeling = defineRoute({
  method: 'post',
  path: '/koppelingen/:id/pause',
  summary: 'Pause the koppeling',
  tag: 'actions',
  auth: 'any',
  body: reasonBody,
  responses,
  handler: async ({ ctx, principal, params, body }) => ctx.service.pause(await loadKoppeling(ctx, principal, params.id), body.reason),
});

export const resumeKoppeling = defineRoute({
  method: 'post',
  path: '/koppelingen/:id/resume',
  summary: 'Resume a paused koppeling',
  tag: 'actions',
  auth: 'any',
  responses,
  handler: async ({ ctx, principal, params }) => ctx.service.resume(await loadKoppeling(ctx, principal, params.id)),
});

export const syncKoppeling = defineRoute({
  method: 'post',
  path: '/koppelingen/:id/sync',
  summary: 'Start a synchronisation now ("start synchronisatie")',
  tag: 'actions',
  auth: 'any',
  body: reasonBody,
  responses,
  handler: async ({ ctx, principal, params, body, res }) => {
    const live = await ctx.service.syncNow(await loadKoppeling(ctx, principal, params.id), body.reason);
    res.status(202);
    return live;
  },
});

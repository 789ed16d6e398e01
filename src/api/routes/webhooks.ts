/**
 * Direct sync webhook (Nmbrs ↔ Mijn Kantoor, outbound): Mijn Kantoor reports a changed customer and
 * Koppelwerk pushes it to Nmbrs within seconds. Authenticated like the rest of the API (the
 * tenant's API key); idempotent by the event id (one workflow per event id). The event shape is
 * INFERRED: Mijn Kantoor's webhook format is not public.
 */
import { WorkflowIdReusePolicy, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { NMBRS_MIJNKANTOOR, nmbrsMijnkantoorSettings } from '../../koppelingen/nmbrs-mijnkantoor/settings';
import { TASK_QUEUES } from '../../temporal/task-queues';
import { directSyncWorkflowId } from '../../../workflows/nmbrs-mijnkantoor/direct-sync';
import { defineRoute, HttpError } from '../route';
import { mijnkantoorWebhookBody } from '../schemas';
import { loadKoppeling } from './load';

export const mijnkantoorWebhook = defineRoute({
  method: 'post',
  path: '/webhooks/mijnkantoor/:id',
  summary: 'Direct sync: a changed Mijn Kantoor customer is pushed to Nmbrs (idempotent by event id)',
  tag: 'webhooks',
  auth: 'any',
  body: mijnkantoorWebhookBody,
  responses: { 202: 'accepted', 200: 'this event was already accepted', 400: 'invalid body', 403: 'other tenant', 404: 'unknown koppeling', 409: 'direct sync is off' },
  handler: async ({ ctx, principal, params, body, res }) => {
    const k = await loadKoppeling(ctx, principal, params.id);
    const s = nmbrsMijnkantoorSettings.safeParse(k.settings);
    if (k.type !== NMBRS_MIJNKANTOOR || !s.success) throw new HttpError(404, `Koppeling ${k._id} is geen Nmbrs ↔ Mijn Kantoor-koppeling.`);
    if (s.data.direction !== 'outbound' || !s.data.directSync) throw new HttpError(409, 'Directe sync staat uit bij deze koppeling (alleen bij de uitgaande richting).');
    const workflowId = directSyncWorkflowId(k._id, body.event_id);
    let duplicate = false;
    try {
      await ctx.temporal.workflow.start('nmbrsMijnkantoorDirectSync', {
        workflowId,
        taskQueue: TASK_QUEUES.workflows,
        args: [{ koppelingId: k._id, customerId: body.data.customer_id, eventId: body.event_id }],
        staticSummary: `Directe sync relatie ${body.data.customer_id}`,
        // A finished workflow's id counts too: the same event or request never runs twice.
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      duplicate = true;
    }
    res.status(duplicate ? 200 : 202);
    return { accepted: true, duplicate, workflowId };
  },
});

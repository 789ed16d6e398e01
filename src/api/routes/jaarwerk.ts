/**
 * Bulk jaarwerk from the CRM (Mijn Kantoor > CRM > Relatie Insights, bulk action; seed 001): one
 * request starts one workflow that fetches the annual documents of each relation from Nmbrs and
 * files them in Mijn Kantoor. Idempotent by the CRM's request id: the same request again returns
 * the same workflow; the same id with a different year or relations is refused (409).
 */
import { WorkflowIdReusePolicy, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import { MongoServerError } from 'mongodb';
import { NMBRS_MIJNKANTOOR } from '../../koppelingen/nmbrs-mijnkantoor/settings';
import { JAARWERK_STATUS, JAARWERK_YEAR, KOPPELING_TYPE, TENANT_ID } from '../../temporal/search-attributes';
import { TASK_QUEUES } from '../../temporal/task-queues';
import { jaarwerkProgressQuery, jaarwerkRetrySignal, jaarwerkWorkflowId, type JaarwerkInput } from '../../../workflows/nmbrs-mijnkantoor/jaarwerk-messages';
import { assertTenantAccess, type Principal } from '../auth';
import type { ApiContext } from '../context';
import { defineRoute, HttpError } from '../route';
import { jaarwerkBody, jaarwerkQuery } from '../schemas';

interface JaarwerkRequestDoc {
  _id: string;
  tenantId: string;
  requestId: string;
  koppelingId: string;
  year: number;
  relations: 'all' | string[];
  createdAt: Date;
}

const requests = (ctx: ApiContext) => ctx.store.db.collection<JaarwerkRequestDoc>('jaarwerkRequests');

function tenantOf(principal: Principal, given?: string): string {
  const tenantId = given ?? (principal.kind === 'tenant' ? principal.tenantId : undefined);
  if (!tenantId) throw new HttpError(400, 'Ongeldige invoer', [{ field: 'tenantId', reason: 'Required' }]);
  assertTenantAccess(principal, tenantId);
  return tenantId;
}

async function koppelingFor(ctx: ApiContext, tenantId: string, koppelingId?: string): Promise<string> {
  if (koppelingId) {
    const k = await ctx.koppelingen.get(koppelingId);
    if (!k || k.tenantId !== tenantId || k.type !== NMBRS_MIJNKANTOOR) {
      throw new HttpError(400, 'Ongeldige invoer', [{ field: 'koppelingId', reason: `geen ${NMBRS_MIJNKANTOOR}-koppeling ${koppelingId} bij tenant ${tenantId}` }]);
    }
    return k._id;
  }
  const [list, total] = await ctx.koppelingen.list({ tenantId, type: NMBRS_MIJNKANTOOR, limit: 2, offset: 0 });
  if (total !== 1) {
    throw new HttpError(400, 'Ongeldige invoer', [
      { field: 'koppelingId', reason: total === 0 ? `tenant ${tenantId} heeft geen Nmbrs ↔ Mijn Kantoor-koppeling` : `tenant ${tenantId} heeft ${total} Nmbrs ↔ Mijn Kantoor-koppelingen; noem er één` },
    ]);
  }
  return list[0]._id;
}

export const startJaarwerk = defineRoute({
  method: 'post',
  path: '/jaarwerk',
  summary: 'Bulk jaarwerk from the CRM: fetch the annual documents of the relations from Nmbrs into Mijn Kantoor (idempotent by requestId)',
  tag: 'jaarwerk',
  auth: 'any',
  body: jaarwerkBody,
  responses: { 202: 'started', 200: 'the same request again: the existing one', 400: 'invalid body', 403: 'other tenant', 409: 'requestId already used for another request' },
  handler: async ({ ctx, principal, body, res }) => {
    const tenantId = tenantOf(principal, body.tenantId);
    const koppelingId = await koppelingFor(ctx, tenantId, body.koppelingId);
    const relations = body.relations === 'all' ? 'all' : [...new Set(body.relations)];
    const doc: JaarwerkRequestDoc = { _id: `${tenantId}|${body.requestId}`, tenantId, requestId: body.requestId, koppelingId, year: body.year, relations, createdAt: new Date() };
    let duplicate = false;
    try {
      await requests(ctx).insertOne(doc);
    } catch (err) {
      if (!(err instanceof MongoServerError && err.code === 11000)) throw err;
      const existing = await requests(ctx).findOne({ _id: doc._id });
      if (!existing || existing.year !== doc.year || existing.koppelingId !== koppelingId || JSON.stringify(existing.relations) !== JSON.stringify(relations)) {
        throw new HttpError(409, `requestId ${body.requestId} is al gebruikt voor een ander jaarwerkverzoek.`);
      }
      duplicate = true;
    }
    const workflowId = jaarwerkWorkflowId(tenantId, body.requestId);
    const input: JaarwerkInput = { tenantId, koppelingId, requestId: body.requestId, year: body.year, relations };
    try {
      // Started even for a duplicate: an earlier request may have been stored but not started (a crash in between).
      await ctx.temporal.workflow.start('nmbrsMijnkantoorJaarwerk', {
        workflowId,
        taskQueue: TASK_QUEUES.workflows,
        args: [input],
        // A finished workflow's id counts too: the same event or request never runs twice.
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
        typedSearchAttributes: [
          { key: TENANT_ID, value: tenantId },
          { key: KOPPELING_TYPE, value: NMBRS_MIJNKANTOOR },
          { key: JAARWERK_YEAR, value: String(body.year) },
          { key: JAARWERK_STATUS, value: 'resolving' },
        ],
        staticSummary: `Jaarwerk ${body.year} · ${relations === 'all' ? 'alle relaties' : `${relations.length} relaties`}`,
      });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      duplicate = true;
    }
    res.status(duplicate ? 200 : 202);
    return { requestId: body.requestId, workflowId, koppelingId, year: body.year, duplicate, progress: `/jaarwerk/${encodeURIComponent(body.requestId)}` };
  },
});

async function handleOf(ctx: ApiContext, principal: Principal, requestId: string, tenant?: string) {
  const tenantId = tenantOf(principal, tenant);
  const doc = await requests(ctx).findOne({ _id: `${tenantId}|${requestId}` });
  if (!doc) throw new HttpError(404, `Jaarwerkverzoek ${requestId} bestaat niet.`);
  return ctx.temporal.workflow.getHandle(jaarwerkWorkflowId(tenantId, requestId));
}

export const getJaarwerk = defineRoute({
  method: 'get',
  path: '/jaarwerk/:id',
  summary: 'Progress of a bulk jaarwerk request: done / failed / skipped per relation, with reasons',
  tag: 'jaarwerk',
  auth: 'any',
  query: jaarwerkQuery,
  responses: { 200: 'the progress', 403: 'other tenant', 404: 'unknown' },
  handler: async ({ ctx, principal, params, query }) => {
    const handle = await handleOf(ctx, principal, params.id, query.tenantId);
    try {
      return await handle.query(jaarwerkProgressQuery);
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw new HttpError(404, `Jaarwerkverzoek ${params.id} heeft geen workflow (meer).`);
      throw err;
    }
  },
});

export const retryJaarwerk = defineRoute({
  method: 'post',
  path: '/jaarwerk/:id/retry',
  summary: 'Run the failed relations of a jaarwerk request again (after the missing Nmbrs right is switched on)',
  tag: 'jaarwerk',
  auth: 'any',
  query: jaarwerkQuery,
  responses: { 202: 'retry asked', 403: 'other tenant', 404: 'unknown', 409: 'the request is already finished' },
  handler: async ({ ctx, principal, params, query, res }) => {
    const handle = await handleOf(ctx, principal, params.id, query.tenantId);
    try {
      await handle.signal(jaarwerkRetrySignal);
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw new HttpError(409, `Jaarwerkverzoek ${params.id} is al afgerond; stuur een nieuw verzoek.`);
      throw err;
    }
    res.status(202);
    return { retry: true };
  },
});

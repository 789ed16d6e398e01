/**
 * Bulk jaarwerk for Nmbrs ↔ Mijn Kantoor: one workflow per CRM request (id `jaarwerk/<tenant>/<requestId>`,
 * so a repeated request is the same workflow). It resolves the relations, then fetches and files
 * each relation's annual documents with bounded concurrency (the koppeling's jaarwerkConcurrency,
 * on the Nmbrs queue and so within its rate budget). Progress is in the `jaarwerkProgress` query
 * and the search attributes JaarwerkYear / JaarwerkStatus. Relations that failed (a missing right)
 * wait for `jaarwerkRetry`, for up to 30 days; filing is idempotent, so a retry or a second request
 * never files a document twice.
 */
import { condition, proxyActivities, setHandler, upsertSearchAttributes, type RetryPolicy } from '@temporalio/workflow';
import type { JaarwerkRelationResult, NmbrsMijnkantoorActivities } from '../../activities/nmbrs-mijnkantoor';
import { NON_RETRYABLE_TYPES } from '../../src/domain/errors';
import { MIJNKANTOOR } from '../../src/systems/mijnkantoor/identity';
import { NMBRS } from '../../src/systems/nmbrs/identity';
import { koppelFailureInfo } from '../failure-info';
import { jaarwerkProgressQuery, jaarwerkRetrySignal, type JaarwerkInput, type JaarwerkProgress, type JaarwerkRelationProgress } from './jaarwerk-messages';

const retry: RetryPolicy = { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '30s', maximumAttempts: 6, nonRetryableErrorTypes: [...NON_RETRYABLE_TYPES] };

const { nmkJaarwerkTargets } = proxyActivities<Pick<NmbrsMijnkantoorActivities, 'nmkJaarwerkTargets'>>({
  taskQueue: MIJNKANTOOR.taskQueue,
  startToCloseTimeout: '10m',
  heartbeatTimeout: '8s',
  retry,
});
const { nmkJaarwerkRelation } = proxyActivities<Pick<NmbrsMijnkantoorActivities, 'nmkJaarwerkRelation'>>({
  taskQueue: NMBRS.taskQueue,
  startToCloseTimeout: '30m',
  heartbeatTimeout: '8s',
  retry,
});

/** How long failed relations wait for a retry before the request is closed. */
export const RETRY_WINDOW = '30 days';

export async function nmbrsMijnkantoorJaarwerk(input: JaarwerkInput): Promise<JaarwerkProgress> {
  const p: JaarwerkProgress = { requestId: input.requestId, year: input.year, status: 'resolving', total: 0, done: 0, failed: 0, skipped: 0, pending: 0, uploaded: 0, peakConcurrency: 0, relations: [] };
  let retryAsked = false;
  setHandler(jaarwerkProgressQuery, () => p);
  setHandler(jaarwerkRetrySignal, () => {
    retryAsked = true;
  });
  const setStatus = (status: JaarwerkProgress['status']) => {
    p.status = status;
    upsertSearchAttributes({ JaarwerkStatus: [status] });
  };
  const recount = () => {
    const count = (s: JaarwerkRelationProgress['status']) => p.relations.filter((r) => r.status === s).length;
    p.total = p.relations.length;
    p.done = count('done');
    p.failed = count('failed');
    p.skipped = count('skipped');
    p.pending = count('pending') + count('running');
    p.uploaded = p.relations.reduce((s, r) => s + r.uploaded, 0);
  };

  const { targets, concurrency } = await nmkJaarwerkTargets({ koppelingId: input.koppelingId, relations: input.relations });
  p.relations = targets.map((t) => ({
    relation: t.relation,
    customerId: t.customerId,
    customerName: t.customerName,
    companyId: t.companyId,
    status: t.skipReason ? 'skipped' : 'pending',
    reason: t.skipReason,
    uploaded: 0,
    already: 0,
    attempts: 0,
  }));
  recount();
  setStatus('running');

  let inFlight = 0;
  const one = async (r: JaarwerkRelationProgress) => {
    r.status = 'running';
    r.attempts++;
    inFlight++;
    p.peakConcurrency = Math.max(p.peakConcurrency, inFlight);
    let res: JaarwerkRelationResult;
    try {
      res = await nmkJaarwerkRelation({ tenantId: input.tenantId, koppelingId: input.koppelingId, year: input.year, customerId: r.customerId!, companyId: r.companyId! });
    } catch (err) {
      const info = koppelFailureInfo(err);
      res = { status: 'failed', uploaded: 0, already: 0, reason: info ? `${info.oorzaak} Oplossing: ${info.oplossing}` : err instanceof Error ? err.message : String(err) };
    } finally {
      inFlight--;
    }
    r.status = res.status;
    r.uploaded += res.uploaded;
    r.already = res.already;
    r.reason = res.reason;
    r.missingRights = res.missingRights;
    recount();
  };
  const pass = async () => {
    const todo = p.relations.filter((r) => r.status === 'pending');
    let next = 0;
    const lane = async () => {
      while (next < todo.length) await one(todo[next++]);
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, todo.length) }, lane));
  };

  for (;;) {
    await pass();
    if (p.failed === 0) break;
    setStatus('waiting_retry');
    retryAsked = false;
    if (!(await condition(() => retryAsked, RETRY_WINDOW))) break;
    for (const r of p.relations) if (r.status === 'failed') r.status = 'pending';
    recount();
    setStatus('running');
  }
  setStatus('done');
  return p;
}

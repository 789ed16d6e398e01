/** Activities of the koppeling runtime itself: cadence and the mirror of state in MongoDB. */
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { cadenceSchema, nextDueSpread, spreadOffsetMs, type Cadence } from '../src/domain/cadence';
import type { LogEntryInput } from '../src/store/log';
import type { KoppelingState } from '../src/store/types';
import { notifyTenant } from '../src/platform/notify';
import type { ActivityDeps } from './deps';

export interface RecordStatusInput {
  tenantId: string;
  koppelingId: string;
  status: {
    state: KoppelingState;
    lastSyncAt?: string;
    lastOutcome?: string;
    lastSummary?: string;
    nextDueAt?: string;
    blockingReason?: string;
    missingCodes?: string[];
  };
  logEntry?: LogEntryInput;
}

/**
 * Pure; run as a local activity so the answer is recorded in history (tzdata-proof replay). A
 * cadence that cannot be planned fails the same way on every try, so it is not retried: the
 * workflow shows BLOCKED_CONFIG with the reason.
 */
export async function nextDueAt(cadence: Cadence, afterIso: string, spreadKey?: string): Promise<string> {
  const parsed = cadenceSchema.safeParse(cadence);
  if (!parsed.success) {
    const reason = parsed.error.issues.map((i) => [i.path.join('.'), i.message].filter(Boolean).join(': ')).join('; ');
    throw ApplicationFailure.create({ type: 'InvalidData', message: `ongeldige planning: ${reason}`, nonRetryable: true });
  }
  try {
    // Without a key (histories from before the spread): the nominal times.
    const offset = spreadKey ? spreadOffsetMs(parsed.data, spreadKey) : 0;
    return nextDueSpread(parsed.data, new Date(afterIso), offset).toISOString();
  } catch (err) {
    throw ApplicationFailure.create({ type: 'InvalidData', message: err instanceof Error ? err.message : String(err), nonRetryable: true });
  }
}

export function createRuntimeActivities(deps: ActivityDeps) {
  return {
    nextDueAt,
    async recordStatus(input: RecordStatusInput): Promise<void> {
      const s = input.status;
      // Before the mirror moves: a retry after a crash in between still sees the transition, and
      // the dedupe key (this activity's id) keeps it one notification.
      await tellTenant(deps, input);
      await deps.koppelingen.setStatus(input.koppelingId, {
        state: s.state,
        lastSyncAt: s.lastSyncAt ? new Date(s.lastSyncAt) : undefined,
        lastOutcome: s.lastOutcome,
        lastSummary: s.lastSummary,
        nextDueAt: s.nextDueAt ? new Date(s.nextDueAt) : undefined,
        blockingReason: s.blockingReason,
        missingCodes: s.missingCodes,
      });
      if (input.logEntry) {
        await deps.log.write(input.tenantId, input.koppelingId, [input.logEntry]);
        await connectionHealth(deps, input.koppelingId, input.logEntry);
      }
    },
  };
}

/** States in which a koppeling waits for the tenant (new credentials, a mapping). */
const WAITING_STATES = new Set<KoppelingState>(['WAITING_REAUTH', 'BLOCKED_MAPPING']);

/**
 * Monitoring for every koppeling type: a failed cycle, and a koppeling entering a waiting state,
 * are sent to the tenant's webhook (src/platform/notify.ts). Only a transition into a waiting state
 * notifies (one extra read, only then), so a koppeling parked for days notifies once.
 */
async function tellTenant(deps: ActivityDeps, input: RecordStatusInput): Promise<void> {
  const failed = input.logEntry?.code === 'CYCLE_FAILED';
  const waiting = WAITING_STATES.has(input.status.state);
  if (!failed && !waiting) return;
  const base = dedupeBase(input);
  const text = input.logEntry?.message ?? input.status.blockingReason ?? input.status.lastSummary ?? input.status.state;
  if (failed) {
    await notifyTenant(deps, { tenantId: input.tenantId, koppelingId: input.koppelingId, kind: 'cycle_failed', dedupeKey: `${base}:cycle_failed`, message: text, state: input.status.state });
  }
  if (waiting) {
    const before = await deps.store.c.koppelingStatus.findOne({ _id: input.koppelingId }, { projection: { state: 1 } });
    if (before?.state === input.status.state) return;
    const why = input.status.blockingReason ?? text;
    const message =
      input.status.state === 'WAITING_REAUTH'
        ? `De koppeling wacht op nieuwe autorisatie: ${why}`
        : `De koppeling wacht op een aanvulling van de mapping${input.status.missingCodes?.length ? ` (${input.status.missingCodes.join(', ')})` : ''}: ${why}`;
    await notifyTenant(deps, { tenantId: input.tenantId, koppelingId: input.koppelingId, kind: 'waiting', dedupeKey: `${base}:waiting:${input.status.state}`, message, state: input.status.state });
  }
}

/** This recordStatus call's identity, the same on each retry: workflow run + activity id. */
function dedupeBase(input: RecordStatusInput): string {
  try {
    const info = Context.current().info;
    const wf = info.workflowExecution;
    if (wf) return `${wf.workflowId}/${wf.runId}/${info.activityId}`;
  } catch {
    // Outside an activity (tests): below.
  }
  return `${input.koppelingId}/${input.status.lastSyncAt ?? 'never'}`;
}

export type RuntimeActivities = ReturnType<typeof createRuntimeActivities>;

/**
 * A cycle's outcome tells the connection's health: credentials refused (ReauthRequired, not a
 * missing right) → unauthorised with the reason; the first good cycle after a reauthorisation →
 * authorised again. Only on those two outcomes, so an ordinary cycle costs no extra store call.
 */
async function connectionHealth(deps: ActivityDeps, koppelingId: string, entry: LogEntryInput): Promise<void> {
  const details = (entry.details ?? {}) as { trigger?: string; error?: { type?: string; system?: string; oorzaak?: string; oplossing?: string } };
  if (entry.code === 'CYCLE_WAITING_REAUTH' && details.error?.type === 'ReauthRequired' && details.error.system) {
    await deps.credentials.markRefused(koppelingId, details.error.system, `${details.error.oorzaak ?? ''} ${details.error.oplossing ?? ''}`.trim());
  } else if ((entry.code === 'CYCLE_OK' || entry.code === 'CYCLE_PARTIAL') && details.trigger === 'reauthorized') {
    for (const system of await deps.credentials.systems(koppelingId)) await deps.credentials.markWorking(koppelingId, system);
  }
}

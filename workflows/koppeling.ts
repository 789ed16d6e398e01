/**
 * One long-running entity workflow per koppeling (id `koppeling/<tenantId>/<koppelingId>`).
 *
 * It only drives the pure state machine (src/domain/koppeling-machine.ts): handlers hand messages to
 * it, and the loop asks it for the next step. A wait ends exactly when the machine's decision
 * changes, so no message in any state can make the loop spin without yielding. The loop makes every
 * transition, so there is one place where state is mirrored to MongoDB and the Web UI, and where
 * continue-as-new happens. It carries ids, the cadence and runtime state: never a credential.
 */
import {
  allHandlersFinished,
  condition,
  continueAsNew,
  executeChild,
  ParentClosePolicy,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { ProbeInput } from '../activities/probe';
import type { RuntimeActivities } from '../activities/runtime';
import type { Cadence } from '../src/domain/cadence';
import { KOPPELING_STATE, LAST_SYNC_AT, TENANT_ID } from '../src/temporal/search-attributes';
import { NON_RETRYABLE_TYPES } from '../src/domain/errors';
import {
  initialState,
  KoppelingMachine,
  type CarriedState,
  type ClosedPeriod,
  type KoppelingState,
  type Message,
  type ProbeResult,
  type Trigger,
} from '../src/domain/koppeling-machine';
import { cycleWorkflowType, type CycleInput, type CycleOutcome } from './cycle';
import { koppelFailureInfo } from './failure-info';
import {
  closePeriodUpdate,
  configChangedSignal,
  mappingChangedSignal,
  pauseUpdate,
  reauthorizedSignal,
  reauthRequiredSignal,
  resumeUpdate,
  startUpdate,
  statusQuery,
  stopUpdate,
  syncNowSignal,
  syncNowUpdate,
  type KoppelingStatusView,
} from './messages';
import { probeOf } from './probes';

const { recordStatus } = proxyActivities<RuntimeActivities>({
  startToCloseTimeout: '30s',
  // MongoDB being away must not fail the koppeling: keep trying, slowly.
  retry: { initialInterval: '1s', maximumInterval: '1m', backoffCoefficient: 2 }, // unlimited attempts
});
// A cadence that cannot produce a due time fails the same way every time: a few tries, then the
// koppeling shows BLOCKED_CONFIG instead of retrying forever inside one workflow task.
const { nextDueAt } = proxyLocalActivities<Pick<RuntimeActivities, 'nextDueAt'>>({
  startToCloseTimeout: '5s',
  retry: { maximumAttempts: 3, initialInterval: '100ms', nonRetryableErrorTypes: ['InvalidData'] },
});

/** Version marker: due ticks probe the source first and run no cycle when nothing changed. */
export const IDLE_PROBE_PATCH = 'idle-probe';

export type { CarriedState } from '../src/domain/koppeling-machine';

export interface KoppelingWorkflowInput {
  tenantId: string;
  koppelingId: string;
  type: string;
  cadence: Cadence;
  /** Periods already closed when the workflow starts (MongoDB keeps them across stop/start). */
  closedPeriods?: ClosedPeriod[];
  /** Own cap on history length before continue-as-new (the server's suggestion also counts). */
  maxHistoryEvents?: number;
  carried?: CarriedState;
}

export function koppelingWorkflowId(tenantId: string, koppelingId: string): string {
  return `koppeling/${tenantId}/${koppelingId}`;
}

export async function koppelingWorkflow(input: KoppelingWorkflowInput): Promise<KoppelingStatusView> {
  const m = new KoppelingMachine(input.carried ?? initialState(input.closedPeriods ?? []), input.cadence);
  const s = m.s;
  let state: KoppelingState = 'ACTIVE';
  const cadence = () => m.cadence as Cadence;
  // Runs recorded before the type had its probe replay without it (no marker in their history);
  // every run started since (also after continue-as-new) probes. Asked once per run, so one marker;
  // a type that got its probe later has its own patch id (workflows/probes.ts).
  const probe = probeOf(input.type);
  m.probing = probe !== undefined && patched(probe.patch ?? IDLE_PROBE_PATCH);
  const probeSource =
    probe &&
    proxyActivities<Record<string, (i: ProbeInput) => Promise<ProbeResult>>>({
      ...(probe.taskQueue ? { taskQueue: probe.taskQueue } : {}),
      startToCloseTimeout: '10m',
      // Probes heartbeat every second: one cut off by a killed worker is tried again after 8 s, not 10 min.
      heartbeatTimeout: '8s',
      // A probe that fails is no reason to skip: the full cycle runs (with its own retries and errors).
      retry: { maximumAttempts: 2, initialInterval: '2s', nonRetryableErrorTypes: [...NON_RETRYABLE_TYPES] },
    })[probe.activity];

  const view = (): KoppelingStatusView => ({
    koppelingId: input.koppelingId,
    tenantId: input.tenantId,
    type: input.type,
    state,
    paused: s.paused,
    cadence: cadence(),
    nextDueAt: s.nextDueAt,
    cycleNo: s.cycleNo,
    lastCycle: s.lastCycle,
    blockingReason: m.blockingReason(),
    missingCodes: s.block?.missingCodes,
    closedPeriods: s.closedPeriods,
    credentialsVersion: s.credentialsVersion,
    mappingVersion: s.mappingVersion,
    ...(s.lastCheckedAt ? { lastCheckedAt: s.lastCheckedAt, idleChecks: s.idleChecks ?? 0 } : {}),
    ...(m.stopRequested ? { stopping: true } : {}),
  });

  // --- messages: the machine records them; validators are synchronous (an async throw would not reject)
  const send = (msg: Message) => m.apply(msg);
  const validate = (msg: Message) => {
    const reason = m.reject(msg);
    if (reason) throw new Error(reason);
  };
  /** An update's answer is the status after the message; its validator is the machine's refusal. */
  const accept = (msg: Message) => (send(msg), view());
  setHandler(statusQuery, view);
  setHandler(syncNowSignal, () => send({ kind: 'syncNow' }));
  setHandler(reauthorizedSignal, (a) => send({ kind: 'reauthorized', credentialsVersion: Number(a?.credentialsVersion) || 0 }));
  setHandler(reauthRequiredSignal, (a) => send({ kind: 'reauthRequired', reason: typeof a?.reason === 'string' ? a.reason : '' }));
  setHandler(mappingChangedSignal, (a) => send({ kind: 'mappingChanged', mappingVersion: Number(a?.mappingVersion) || 0 }));
  setHandler(configChangedSignal, (a) => send({ kind: 'configChanged', cadence: a?.cadence, version: Number(a?.version) }));
  const syncNow: Message = { kind: 'syncNow' };
  setHandler(syncNowUpdate, (_a) => accept(syncNow), { validator: (_a) => validate(syncNow) });
  const pauseMsg = (a?: { reason?: string }): Message => ({ kind: 'pause', reason: typeof a?.reason === 'string' ? a.reason : undefined });
  setHandler(pauseUpdate, (a: { reason?: string }) => accept(pauseMsg(a)), { validator: (a: { reason?: string }) => validate(pauseMsg(a)) });
  setHandler(resumeUpdate, () => accept({ kind: 'resume' }), { validator: () => validate({ kind: 'resume' }) });
  setHandler(stopUpdate, () => accept({ kind: 'stop' }), { validator: () => validate({ kind: 'stop' }) });
  setHandler(startUpdate, () => accept({ kind: 'start' }));
  setHandler(closePeriodUpdate, (p) => accept({ kind: 'closePeriod', period: p }), { validator: (p) => validate({ kind: 'closePeriod', period: p }) });

  // --- transitions ------------------------------------------------------------------------------
  let flushed = '';
  let upserted = '';
  /** The loop comes back from an idle tick: only the due time moved. */
  let idleTick = false;
  const transition = async (next: KoppelingState, logEntry?: Parameters<typeof recordStatus>[0]['logEntry']) => {
    const quiet = idleTick;
    idleTick = false;
    state = next;
    const attrs: Parameters<typeof upsertSearchAttributes>[0] = [{ key: KOPPELING_STATE, value: next }];
    if (s.lastSyncAt) attrs.push({ key: LAST_SYNC_AT, value: new Date(s.lastSyncAt) });
    // Only where the starter registered them (the API always does; the time-skipping test server cannot).
    // Probing runs leave out an upsert that changes nothing (an event per tick otherwise).
    const attrKey = JSON.stringify(attrs);
    if (workflowInfo().typedSearchAttributes.get(TENANT_ID) !== undefined && (!m.probing || attrKey !== upserted)) upsertSearchAttributes(attrs);
    upserted = attrKey;
    setCurrentDetails(details(view()));
    const status = {
      state: next,
      lastSyncAt: s.lastSyncAt,
      lastOutcome: s.lastCycle?.result,
      lastSummary: s.lastCycle?.summary,
      nextDueAt: s.nextDueAt,
      blockingReason: view().blockingReason,
      missingCodes: s.block?.missingCodes,
    };
    // Mirror to MongoDB only when something changed: an idle loop adds no activities.
    const key = JSON.stringify(status);
    if (key === flushed && !logEntry) return;
    // After an idle tick only nextDueAt moved: no write per tick (the API derives a due time that
    // has passed from the cadence, src/api/routes/load.ts).
    const sansDue = (k: string) => JSON.stringify({ ...(k ? (JSON.parse(k) as object) : {}), nextDueAt: undefined });
    if (quiet && !logEntry && flushed && sansDue(key) === sansDue(flushed)) return;
    flushed = key;
    await recordStatus({ tenantId: input.tenantId, koppelingId: input.koppelingId, status, logEntry });
  };

  const shouldContinueAsNew = () =>
    workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > (input.maxHistoryEvents ?? 5_000);

  /** Ask the cadence for the next due time; a cadence that cannot answer blocks, visibly. */
  const computeDue = async () => {
    const req = m.dueRequest(Date.now());
    try {
      // Spread per koppeling inside the cadence's tolerance (no boundary wakes every koppeling);
      // histories from before the spread replay with their recorded answers.
      const regular = await nextDueAt(req.cadence as Cadence, new Date(req.afterMs).toISOString(), input.koppelingId);
      m.dueComputed(regular, Date.now(), req.configVersion);
    } catch (err) {
      const text = koppelFailureInfo(err)?.oorzaak ?? (err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err));
      m.dueFailed(`De planning levert geen volgend tijdstip op (${text}). Kies een geldige planning voor de koppeling.`, req.configVersion);
    }
  };

  const runCycle = async (trigger: Trigger, cycleNo: number) => {
    await transition('RUNNING');
    const cycleInput: CycleInput = {
      tenantId: input.tenantId,
      koppelingId: input.koppelingId,
      type: input.type,
      cycleNo,
      trigger,
      closedPeriods: s.closedPeriods,
    };
    let outcome: CycleOutcome;
    try {
      outcome = await executeChild<(i: CycleInput) => Promise<CycleOutcome>>(cycleWorkflowType(input.type), {
        workflowId: `${workflowInfo().workflowId}/cycle-${cycleNo}-${workflowInfo().runId.slice(0, 8)}`,
        args: [cycleInput],
        parentClosePolicy: ParentClosePolicy.TERMINATE,
        workflowExecutionTimeout: '6h',
      });
    } catch (err) {
      outcome = outcomeFromFailure(err);
    }
    m.cycleFinished(outcome, new Date(Date.now()).toISOString(), cycleNo);
    await computeDue();
    const overran = m.takeOverran();
    const level = outcome.result === 'ok' && !overran ? 'info' : outcome.result === 'ok' || outcome.result === 'partial' ? 'warn' : 'error';
    await transition(m.state(), {
      level,
      code: `CYCLE_${outcome.result.toUpperCase()}`,
      message:
        `Synchronisatie #${cycleNo}: ${outcome.summary}` +
        (overran ? ' Deze synchronisatie duurde langer dan de planning toelaat; er volgt direct één inhaalronde.' : ''),
      counts: outcome.counts,
      cycleNo,
      details: {
        trigger,
        ...(overran ? { catchUp: true } : {}),
        ...(outcome.missingCodes ? { missingCodes: outcome.missingCodes } : {}),
        ...(outcome.error ? { error: outcome.error } : {}),
      },
    });
  };

  // --- the loop: every iteration waits on something false right now, or does work ----------------
  for (;;) {
    const step = m.next(shouldContinueAsNew());
    switch (step.kind) {
      case 'stop':
        await transition('STOPPED', { level: 'info', code: 'STOPPED', message: 'Koppeling ontkoppeld; het grootboek van boekingen blijft bewaard.' });
        await condition(allHandlersFinished);
        // Linked again (startUpdate) while the stop was being recorded: go on instead of ending.
        if (m.next(false).kind !== 'stop') continue;
        return view();
      case 'continueAsNew':
        await condition(allHandlersFinished);
        return continueAsNew<typeof koppelingWorkflow>({ ...input, cadence: cadence(), carried: s });
      case 'computeDue':
        await computeDue();
        continue;
      case 'wait': {
        await transition(step.state);
        const waitMs = step.untilIso ? Date.parse(step.untilIso) - Date.now() : undefined;
        if (waitMs !== undefined && waitMs <= 0) {
          m.timerFired();
          continue;
        }
        if (waitMs === undefined) await condition(() => m.wakes(step));
        else if (!(await condition(() => m.wakes(step), waitMs))) m.timerFired();
        continue;
      }
      case 'check': {
        // The probe first: a due tick that finds the source as the last good cycle left it ends here,
        // without a child workflow, a RUNNING transition, a status write or a log line.
        const { trigger } = m.checkStarted(Date.now());
        let seen: ProbeResult | undefined;
        try {
          seen = await probeSource!({ tenantId: input.tenantId, koppelingId: input.koppelingId });
        } catch {
          seen = undefined; // unknown: the full cycle runs and reports what is wrong
        }
        if (m.checkFinished(trigger, seen, new Date(Date.now()).toISOString()) === 'idle') {
          await computeDue();
          m.takeOverran(); // a probe that ran past the next due time: that tick follows at once
          idleTick = true;
        }
        continue;
      }
      case 'cycle': {
        const { cycleNo, trigger } = m.cycleStarted(Date.now());
        await runCycle(trigger, cycleNo);
        continue;
      }
    }
  }
}

function outcomeFromFailure(err: unknown): CycleOutcome {
  const info = koppelFailureInfo(err);
  const error = info && { type: info.type, system: info.system, code: info.code, oorzaak: info.oorzaak, oplossing: info.oplossing };
  const text = info ? `${info.oorzaak} ${info.oplossing}`.trim() : err instanceof Error ? err.message : String(err);
  if (info?.type === 'ReauthRequired' || info?.type === 'PermissionDenied') {
    return { result: 'waiting_reauth', counts: {}, summary: text, error };
  }
  if (info?.type === 'MappingIncomplete') {
    const missing = info.details?.missingCodes;
    return {
      result: 'blocked_mapping',
      counts: {},
      summary: text,
      missingCodes: Array.isArray(missing) ? missing.map(String) : undefined,
      error,
    };
  }
  return { result: 'failed', counts: {}, summary: `Synchronisatie mislukt: ${text}`, error };
}

function details(v: KoppelingStatusView): string {
  const lines = [`**${v.type}** · tenant \`${v.tenantId}\` · **${v.state}**${v.paused ? ' (gepauzeerd)' : ''}`];
  if (v.nextDueAt && !v.paused && v.state === 'ACTIVE') lines.push(`Volgende synchronisatie: ${v.nextDueAt}`);
  if (v.lastCycle) lines.push(`Laatste synchronisatie #${v.lastCycle.cycleNo} (${v.lastCycle.result}): ${v.lastCycle.summary}`);
  if (v.blockingReason) lines.push(`Wacht op: ${v.blockingReason}`);
  if (v.missingCodes?.length) lines.push(`Ontbrekende codes: ${v.missingCodes.join(', ')}`);
  return lines.join('\n\n');
}

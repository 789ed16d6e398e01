/**
 * One long-running entity workflow per koppeling (id `koppeling/<tenantId>/<koppelingId>`).
 *
 * Handlers only change flags; the main loop makes every transition, so there is one place where
 * state changes, is mirrored to MongoDB and the Web UI, and where continue-as-new happens.
 * It carries ids, the cadence and runtime state: never a credential.
 */
import {
  allHandlersFinished,
  condition,
  continueAsNew,
  executeChild,
  ParentClosePolicy,
  proxyActivities,
  proxyLocalActivities,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { RuntimeActivities } from '../activities/runtime';
import type { Cadence } from '../src/domain/cadence';
import { KOPPELING_STATE, LAST_SYNC_AT, TENANT_ID } from '../src/temporal/search-attributes';
import type { ClosedPeriod, KoppelingState } from '../src/store/types';
import { cycleWorkflowType, type CycleInput, type CycleOutcome } from './cycle';
import { koppelFailureInfo } from './failure-info';
import {
  closePeriodUpdate,
  configChangedSignal,
  mappingChangedSignal,
  pauseSignal,
  pauseUpdate,
  periodClosedSignal,
  reauthorizedSignal,
  resumeSignal,
  resumeUpdate,
  statusQuery,
  stopSignal,
  stopUpdate,
  syncNowSignal,
  syncNowUpdate,
  type KoppelingStatusView,
} from './messages';

const { recordStatus } = proxyActivities<RuntimeActivities>({
  startToCloseTimeout: '30s',
  // MongoDB being away must not fail the koppeling: keep trying, slowly.
  retry: { initialInterval: '1s', maximumInterval: '1m', backoffCoefficient: 2 }, // unlimited attempts
});
const { nextDueAt } = proxyLocalActivities<Pick<RuntimeActivities, 'nextDueAt'>>({ startToCloseTimeout: '5s' });

type Trigger = CycleInput['trigger'];

interface Block {
  kind: 'reauth' | 'mapping';
  reason: string;
  missingCodes?: string[];
}

/** Runtime state, carried across continue-as-new. */
export interface CarriedState {
  paused: boolean;
  pauseReason?: string;
  block?: Block;
  cycleNo: number;
  lastCycle?: KoppelingStatusView['lastCycle'];
  lastSyncAt?: string;
  nextDueAt?: string;
  trigger?: Trigger;
  failureStreak: number;
  closedPeriods: ClosedPeriod[];
  credentialsVersion: number;
  mappingVersion: number;
  configVersion: number;
}

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

const RETRY_BASE_MS = 5 * 60_000;
const RETRY_MAX_MS = 60 * 60_000;

export async function koppelingWorkflow(input: KoppelingWorkflowInput): Promise<KoppelingStatusView> {
  let cadence = input.cadence;
  const s: CarriedState = input.carried ?? {
    paused: false,
    cycleNo: 0,
    failureStreak: 0,
    closedPeriods: input.closedPeriods ?? [],
    credentialsVersion: 0,
    mappingVersion: 0,
    configVersion: 0,
    trigger: 'start',
  };
  let state: KoppelingState = 'ACTIVE';
  let stopRequested = false;
  let cadenceChanged = false;

  const view = (): KoppelingStatusView => ({
    koppelingId: input.koppelingId,
    tenantId: input.tenantId,
    type: input.type,
    state,
    paused: s.paused,
    cadence,
    nextDueAt: s.nextDueAt,
    cycleNo: s.cycleNo,
    lastCycle: s.lastCycle,
    blockingReason: s.block?.reason ?? (s.paused ? s.pauseReason ?? 'Gepauzeerd' : undefined),
    missingCodes: s.block?.missingCodes,
    closedPeriods: s.closedPeriods,
    credentialsVersion: s.credentialsVersion,
    mappingVersion: s.mappingVersion,
  });

  // --- message handlers: flags only -------------------------------------------------------------
  const requestSync = (reason: Trigger) => {
    if (!s.trigger) s.trigger = reason;
  };
  const pause = (reason?: string) => {
    s.paused = true;
    s.pauseReason = reason;
  };
  const resume = () => {
    s.paused = false;
    s.pauseReason = undefined;
  };
  const closePeriod = (p: ClosedPeriod) => {
    const known = s.closedPeriods.some((c) => c.administration === p.administration && c.year === p.year && c.period === p.period);
    if (!known) s.closedPeriods = [...s.closedPeriods, p];
  };
  const assertRunnable = () => {
    if (stopRequested) throw new Error('De koppeling is gestopt.');
    if (s.paused) throw new Error('De koppeling is gepauzeerd: hervat haar eerst.');
    if (s.block?.kind === 'reauth') throw new Error(`De koppeling wacht op nieuwe inloggegevens: ${s.block.reason}`);
    if (s.block?.kind === 'mapping') throw new Error(`De koppeling wacht op een aangepaste mapping: ${s.block.reason}`);
  };

  setHandler(statusQuery, view);
  setHandler(syncNowSignal, () => requestSync('syncNow'));
  setHandler(pauseSignal, (arg) => pause(arg?.reason));
  setHandler(resumeSignal, resume);
  setHandler(stopSignal, () => void (stopRequested = true));
  setHandler(reauthorizedSignal, ({ credentialsVersion }) => {
    s.credentialsVersion = Math.max(s.credentialsVersion, credentialsVersion);
    if (s.block?.kind === 'reauth') {
      s.block = undefined;
      s.trigger = 'reauthorized';
    }
  });
  setHandler(mappingChangedSignal, ({ mappingVersion }) => {
    s.mappingVersion = Math.max(s.mappingVersion, mappingVersion);
    if (s.block?.kind === 'mapping') {
      s.block = undefined;
      s.trigger = 'mappingChanged';
    }
  });
  setHandler(periodClosedSignal, closePeriod);
  setHandler(configChangedSignal, ({ cadence: next, version }) => {
    if (version <= s.configVersion) return; // an old or repeated change
    s.configVersion = version;
    cadence = next;
    cadenceChanged = true;
  });

  // Updates: validators are synchronous (an async validator's throw would not reject).
  setHandler(syncNowUpdate, (_arg) => (requestSync('syncNow'), view()), { validator: (_arg) => assertRunnable() });
  setHandler(pauseUpdate, (arg) => (pause(arg?.reason), view()), {
    validator: (_arg) => {
      if (stopRequested) throw new Error('De koppeling is gestopt.');
      if (s.paused) throw new Error('De koppeling is al gepauzeerd.');
    },
  });
  setHandler(resumeUpdate, () => (resume(), view()), {
    validator: () => {
      if (!s.paused) throw new Error('De koppeling is niet gepauzeerd.');
    },
  });
  setHandler(stopUpdate, () => ((stopRequested = true), view()), {
    validator: () => {
      if (stopRequested) throw new Error('De koppeling wordt al gestopt.');
    },
  });
  setHandler(closePeriodUpdate, (p) => (closePeriod(p), view()), {
    validator: (p) => {
      if (!p || typeof p.administration !== 'string' || !p.administration) throw new Error('administration is verplicht.');
      if (!Number.isInteger(p.year) || p.year < 2000 || p.year > 2100) throw new Error('year moet een jaartal tussen 2000 en 2100 zijn.');
      if (!Number.isInteger(p.period) || p.period < 1 || p.period > 13) throw new Error('period moet tussen 1 en 13 liggen.');
    },
  });

  // --- transitions ------------------------------------------------------------------------------
  let flushed = '';
  const transition = async (next: KoppelingState, logEntry?: Parameters<typeof recordStatus>[0]['logEntry']) => {
    state = next;
    const attrs: Parameters<typeof upsertSearchAttributes>[0] = [{ key: KOPPELING_STATE, value: next }];
    if (s.lastSyncAt) attrs.push({ key: LAST_SYNC_AT, value: new Date(s.lastSyncAt) });
    // Only where the starter registered them (the API always does; the time-skipping test server cannot).
    if (workflowInfo().typedSearchAttributes.get(TENANT_ID) !== undefined) upsertSearchAttributes(attrs);
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
    flushed = key;
    await recordStatus({ tenantId: input.tenantId, koppelingId: input.koppelingId, status, logEntry });
  };

  const shouldContinueAsNew = () =>
    workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > (input.maxHistoryEvents ?? 5_000);

  const computeNextDue = async () => {
    const regular = await nextDueAt(cadence, new Date(Date.now()).toISOString());
    if (s.failureStreak === 0) return regular;
    // After a failed cycle retry sooner than a daily cadence would (5, 10, 20 ... 60 minutes).
    const backoff = Math.min(RETRY_BASE_MS * 2 ** (s.failureStreak - 1), RETRY_MAX_MS);
    const retryAt = Date.now() + backoff;
    return retryAt < Date.parse(regular) ? new Date(retryAt).toISOString() : regular;
  };

  const runCycle = async (trigger: Trigger) => {
    s.cycleNo += 1;
    const cycleNo = s.cycleNo;
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
    const at = new Date(Date.now()).toISOString();
    s.lastCycle = { ...outcome, at, cycleNo };
    if (outcome.result === 'ok' || outcome.result === 'partial') s.lastSyncAt = at;
    s.failureStreak = outcome.result === 'failed' ? s.failureStreak + 1 : 0;
    if (outcome.result === 'waiting_reauth') {
      s.block = { kind: 'reauth', reason: errorText(outcome) };
    } else if (outcome.result === 'blocked_mapping') {
      s.block = { kind: 'mapping', reason: errorText(outcome), missingCodes: outcome.missingCodes };
    }
    s.nextDueAt = await computeNextDue();
    const level = outcome.result === 'ok' ? 'info' : outcome.result === 'partial' ? 'warn' : 'error';
    await transition(s.block ? (s.block.kind === 'reauth' ? 'WAITING_REAUTH' : 'BLOCKED_MAPPING') : 'ACTIVE', {
      level,
      code: `CYCLE_${outcome.result.toUpperCase()}`,
      message: `Synchronisatie #${cycleNo}: ${outcome.summary}`,
      counts: outcome.counts,
      cycleNo,
      details: { trigger, ...(outcome.missingCodes ? { missingCodes: outcome.missingCodes } : {}), ...(outcome.error ? { error: outcome.error } : {}) },
    });
  };

  // --- the loop ---------------------------------------------------------------------------------
  for (;;) {
    if (stopRequested) {
      await transition('STOPPED', { level: 'info', code: 'STOPPED', message: 'Koppeling ontkoppeld; het grootboek van boekingen blijft bewaard.' });
      return view();
    }
    if (shouldContinueAsNew()) {
      await condition(allHandlersFinished);
      return continueAsNew<typeof koppelingWorkflow>({ ...input, cadence, carried: s });
    }
    if (s.paused) {
      await transition('PAUSED');
      await condition(() => !s.paused || stopRequested);
      continue;
    }
    if (s.block) {
      await transition(s.block.kind === 'reauth' ? 'WAITING_REAUTH' : 'BLOCKED_MAPPING');
      await condition(() => !s.block || s.paused || stopRequested || cadenceChanged);
      // A cadence change while blocked applies once unblocked (next due time recomputed then).
      // Left set, it kept this condition true and the loop spun inside one activation until Node
      // aborted the worker ("async hook stack has become corrupted"); found by the API fuzz test.
      if (s.block && cadenceChanged) {
        cadenceChanged = false;
        s.nextDueAt = undefined;
      }
      continue;
    }
    if (!s.trigger) {
      if (!s.nextDueAt || cadenceChanged) {
        cadenceChanged = false;
        s.nextDueAt = await computeNextDue();
      }
      await transition('ACTIVE');
      const waitMs = Date.parse(s.nextDueAt) - Date.now();
      if (waitMs > 0) {
        const woken = await condition(() => !!s.trigger || stopRequested || s.paused || cadenceChanged, waitMs);
        if (woken) continue;
      }
      s.trigger = 'schedule';
    }
    const trigger = s.trigger;
    s.trigger = undefined;
    await runCycle(trigger);
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

function errorText(o: CycleOutcome): string {
  return o.error ? `${o.error.oorzaak} ${o.error.oplossing}`.trim() : o.summary;
}

function details(v: KoppelingStatusView): string {
  const lines = [`**${v.type}** · tenant \`${v.tenantId}\` · **${v.state}**${v.paused ? ' (gepauzeerd)' : ''}`];
  if (v.nextDueAt && !v.paused && v.state === 'ACTIVE') lines.push(`Volgende synchronisatie: ${v.nextDueAt}`);
  if (v.lastCycle) lines.push(`Laatste synchronisatie #${v.lastCycle.cycleNo} (${v.lastCycle.result}): ${v.lastCycle.summary}`);
  if (v.blockingReason) lines.push(`Wacht op: ${v.blockingReason}`);
  if (v.missingCodes?.length) lines.push(`Ontbrekende codes: ${v.missingCodes.join(', ')}`);
  return lines.join('\n\n');
}

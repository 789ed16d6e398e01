/** Signals, queries and updates of the koppeling entity workflow. Arguments carry ids and versions, never secrets. */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { Cadence } from '../src/domain/cadence';
import type { ClosedPeriod, KoppelingState } from '../src/domain/koppeling-machine';
import type { CycleOutcome } from './cycle';

export interface KoppelingStatusView {
  koppelingId: string;
  tenantId: string;
  type: string;
  state: KoppelingState;
  paused: boolean;
  cadence: Cadence;
  nextDueAt?: string;
  cycleNo: number;
  lastCycle?: CycleOutcome & { at: string; cycleNo: number };
  blockingReason?: string;
  missingCodes?: string[];
  closedPeriods: ClosedPeriod[];
  credentialsVersion: number;
  mappingVersion: number;
  /** When a due tick last probed the source (runs with the idle probe only). */
  lastCheckedAt?: string;
  /** Due ticks since the last cycle that found nothing changed, so ran no cycle. */
  idleChecks?: number;
  /** A stop was asked for and the workflow has not ended yet (a start cancels it). */
  stopping?: boolean;
}

/**
 * Signals: what the API sends after a change in MongoDB (no answer needed), plus `syncNow` for an
 * operator in the Web UI or CLI ("Send a signal"). Pause, resume, stop and closing a period are
 * updates, so the caller hears when they are refused.
 */
export const syncNowSignal = defineSignal<[{ reason?: string }?]>('syncNow');
/** Sent after new credentials were stored; carries only their version. */
export const reauthorizedSignal = defineSignal<[{ credentialsVersion: number }]>('reauthorized');
/** Sent when a connection's credentials were refused outside a cycle (an OAuth2 refresh): park now, with the authorise link. */
export const reauthRequiredSignal = defineSignal<[{ reason: string }]>('reauthRequired');
export const mappingChangedSignal = defineSignal<[{ mappingVersion: number }]>('mappingChanged');
export const configChangedSignal = defineSignal<[{ cadence: Cadence; version: number }]>('configChanged');

export const statusQuery = defineQuery<KoppelingStatusView>('status');

/** Updates: the caller gets a validated answer (rejected with a reason, or the new status). */
export const syncNowUpdate = defineUpdate<KoppelingStatusView, [{ reason?: string }]>('syncNowUpdate');
export const pauseUpdate = defineUpdate<KoppelingStatusView, [{ reason?: string }]>('pauseUpdate');
export const resumeUpdate = defineUpdate<KoppelingStatusView, []>('resumeUpdate');
export const stopUpdate = defineUpdate<KoppelingStatusView, []>('stopUpdate');
export const closePeriodUpdate = defineUpdate<KoppelingStatusView, [ClosedPeriod]>('closePeriodUpdate');
/** Link again (the API's start): cancels a stop the workflow has not finished, so a stopping run is never reused as if it would go on. */
export const startUpdate = defineUpdate<KoppelingStatusView, []>('startUpdate');

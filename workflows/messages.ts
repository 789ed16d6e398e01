/** Signals, queries and updates of the koppeling entity workflow. Arguments carry ids and versions, never secrets. */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { Cadence } from '../src/domain/cadence';
import type { ClosedPeriod, KoppelingState } from '../src/store/types';
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
}

export const syncNowSignal = defineSignal<[{ reason?: string }?]>('syncNow');
export const pauseSignal = defineSignal<[{ reason?: string }?]>('pause');
export const resumeSignal = defineSignal('resume');
export const stopSignal = defineSignal('stop');
/** Sent after new credentials were stored; carries only their version. */
export const reauthorizedSignal = defineSignal<[{ credentialsVersion: number }]>('reauthorized');
export const mappingChangedSignal = defineSignal<[{ mappingVersion: number }]>('mappingChanged');
export const periodClosedSignal = defineSignal<[ClosedPeriod]>('periodClosed');
export const configChangedSignal = defineSignal<[{ cadence: Cadence; version: number }]>('configChanged');

export const statusQuery = defineQuery<KoppelingStatusView>('status');

/** Updates: the caller gets a validated answer (rejected with a reason, or the new status). */
export const syncNowUpdate = defineUpdate<KoppelingStatusView, [{ reason?: string }]>('syncNowUpdate');
export const pauseUpdate = defineUpdate<KoppelingStatusView, [{ reason?: string }]>('pauseUpdate');
export const resumeUpdate = defineUpdate<KoppelingStatusView, []>('resumeUpdate');
export const stopUpdate = defineUpdate<KoppelingStatusView, []>('stopUpdate');
export const closePeriodUpdate = defineUpdate<KoppelingStatusView, [ClosedPeriod]>('closePeriodUpdate');

/**
 * The contract between the koppeling entity workflow and a sync cycle. A cycle is a child workflow
 * named after the koppeling type (`nmbrs-eboekhouden` → `nmbrsEboekhoudenCycle`), so each type plugs
 * in by exporting one workflow, and each cycle has its own short history in the Web UI.
 */
import type { ClosedPeriod } from '../src/store/types';

export interface CycleInput {
  tenantId: string;
  koppelingId: string;
  type: string;
  cycleNo: number;
  trigger: 'schedule' | 'syncNow' | 'reauthorized' | 'mappingChanged' | 'resume' | 'start';
  closedPeriods: ClosedPeriod[];
}

export type CycleResult = 'ok' | 'partial' | 'blocked_mapping' | 'waiting_reauth' | 'failed';

export interface CycleError {
  type: string;
  system?: string;
  code?: string;
  oorzaak: string;
  oplossing: string;
}

export interface CycleOutcome {
  result: CycleResult;
  /** What was done, by kind: { posted: 3, skipped: 1 }. */
  counts: Record<string, number>;
  /** One Dutch line for the log and the UI. */
  summary: string;
  missingCodes?: string[];
  error?: CycleError;
}

export function cycleWorkflowType(koppelingType: string): string {
  const camel = koppelingType.replace(/-([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
  return `${camel}Cycle`;
}

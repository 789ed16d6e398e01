/** What the Nmbrs → e-Boekhouden workflow and its activities hand each other: ids, hashes, counts. */
import type { RunPlan } from '../../src/koppelingen/nmbrs-eboekhouden/domain/journal-plan';
import type { ClosedPeriod } from '../../src/store/types';

/** Ledger entities: every booked memoriaal, and runs deliberately not booked (closed period). */
export const MEMORIAAL = 'memoriaal';
export const LOONJOURNAAL = 'loonjournaal';

export interface CycleIds {
  tenantId: string;
  koppelingId: string;
  cycleNo: number;
}

export interface RunWork {
  runKey: string;
  hash: string;
  kind: RunPlan['kind'];
  label: string;
}

export interface ScanResult {
  active: boolean;
  /** Runs in the sync range, locked or not. */
  runsSeen: number;
  notLocked: number;
  unchanged: number;
  /** Runs whose current journal was already skipped for a closed period (warned once). */
  skippedBefore: number;
  work: RunWork[];
}

export interface PostRunInput extends CycleIds {
  runKey: string;
  hash: string;
  closedPeriods: ClosedPeriod[];
  /** e-Boekhouden's "afgesloten t/m", when an earlier run of this cycle learned it. */
  closedThrough?: string;
}

export interface PostRunResult {
  status: 'posted' | 'corrected' | 'unchanged' | 'blocked' | 'closed' | 'invalid';
  label: string;
  mutaties: number;
  tegenboekingen: number;
  missingCodes?: string[];
  closedThrough?: string;
}

/** What the Nmbrs → eAccounting workflow and its activities hand each other: ids, hashes, counts. */
import type { RunPlan } from '../../src/koppelingen/nmbrs-eboekhouden/domain/journal-plan';

/** Ledger entities: every sent voucher; run contents deliberately not sent (locked period or year). */
export const VOUCHER = 'voucher';
export const LOCKED_JOURNAL = 'loonjournaal-vergrendeld';

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
  runsSeen: number;
  notLocked: number;
  unchanged: number;
  /** Runs whose current journal was already reported for a locked period or year. */
  lockedBefore: number;
  /** autoSend off: processed runs nobody asked to send. */
  waitingForManualSend: number;
  work: RunWork[];
}

export interface PostRunInput extends CycleIds {
  runKey: string;
  hash: string;
}

export interface PostRunResult {
  status: 'sent' | 'corrected' | 'unchanged' | 'blocked' | 'locked' | 'noFiscalYear' | 'invalid';
  label: string;
  vouchers: number;
  reversals: number;
  missingCodes?: string[];
  /** Dutch, for the cycle's error line (fiscal year missing, blocked accounts). */
  problem?: { oorzaak: string; oplossing: string; code?: string };
}

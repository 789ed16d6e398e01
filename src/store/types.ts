/** Document shapes of the collections. Secrets only ever appear sealed (CredentialDoc.data). */
import type { Cadence } from '../domain/cadence';

import type { ClosedPeriod, KoppelingState } from '../domain/koppeling-machine';
// The states and a closed period belong to the entity's state machine; re-exported for the store.
export { KOPPELING_STATES, type ClosedPeriod, type KoppelingState } from '../domain/koppeling-machine';

export interface TenantDoc {
  _id: string;
  name: string;
  createdAt: Date;
}

export interface ApiKeyDoc {
  /** sha256 of the key: the key itself is shown once and never stored. */
  _id: string;
  tenantId: string;
  label: string;
  createdAt: Date;
}

export interface KoppelingStatus {
  state: KoppelingState;
  lastSyncAt?: Date;
  lastOutcome?: string;
  lastSummary?: string;
  nextDueAt?: Date;
  blockingReason?: string;
  missingCodes?: string[];
  updatedAt?: Date;
}

/** The status mirror in its own collection, keyed by koppeling id. */
export interface KoppelingStatusDoc extends KoppelingStatus {
  _id: string;
}

export interface KoppelingDoc {
  _id: string;
  tenantId: string;
  type: string;
  name: string;
  /** Non-secret settings, validated by the type's schema. */
  settings: Record<string, unknown>;
  cadence: Cadence;
  /** Source code → target code overrides (e.g. Nmbrs dim1 → grootboekrekening). */
  mapping: Record<string, string>;
  closedPeriods: ClosedPeriod[];
  /** linked: the workflow should run; unlinked: stopped by the user, ledger kept. */
  lifecycle: 'linked' | 'unlinked';
  /** Hash of what the koppeling writes where (its type's `target`); null when it writes nothing. */
  targetKey?: string | null;
  version: number;
  credentialsVersion: number;
  /** The connection used per external system (src/store/connections.ts). */
  connections?: Record<string, string>;
  status: KoppelingStatus;
  createdAt: Date;
  updatedAt: Date;
}

export interface CredentialDoc {
  _id: string; // `${koppelingId}:${system}`
  koppelingId: string;
  tenantId: string;
  system: string;
  keyId: string;
  data: string;
  version: number;
  updatedAt: Date;
  /** Set by the start-up migration: the connection these credentials now live in. */
  migratedTo?: string;
}

export const LEDGER_STATUSES = ['pending', 'posted', 'failed', 'skipped'] as const;
export type LedgerStatus = (typeof LEDGER_STATUSES)[number];

export interface LedgerLinks {
  /** On a reversal: the entry it reverses. */
  reverses?: string;
  /** On an original: its reversal. */
  reversedBy?: string;
  /** On a replacement: the original it replaces. */
  replaces?: string;
  /** On an original: its replacement. */
  replacedBy?: string;
}

export interface LedgerDoc {
  _id: string; // = businessKey
  businessKey: string; // `${koppelingId}|${entity}|${sourceKey}`
  koppelingId: string;
  tenantId: string;
  entity: string;
  sourceKey: string;
  contentHash: string;
  /** Deterministic reference written into the target (boekstuk, factuur reference): finds it after a crash. */
  reference: string;
  targetId?: string;
  status: LedgerStatus;
  attempts: number;
  /**
   * The attempt writing this item right now holds a lease (renewed while its write runs, cleared
   * when it ends); another attempt waits for it instead of writing a second time. Absent or past: none.
   */
  leaseToken?: string | null;
  leaseUntil?: Date | null;
  lastError?: string;
  links: LedgerLinks;
  /** Small non-secret facts for the log and the UI (period, totals, line count). */
  meta: Record<string, unknown>;
  createdAt: Date;
  updatedAt: Date;
}

export type LogLevel = 'info' | 'warn' | 'error';

export interface LogDoc {
  koppelingId: string;
  tenantId: string;
  at: Date;
  level: LogLevel;
  /** Stable machine code, e.g. CYCLE_OK, RUN_POSTED, MAPPING_MISSING, PERIOD_CLOSED_CHANGE. */
  code: string;
  message: string;
  counts?: Record<string, number>;
  cycleNo?: number;
  details?: Record<string, unknown>;
}

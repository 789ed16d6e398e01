/** What the Nmbrs ↔ Mijn Kantoor workflows and activities hand each other: ids, labels and counts, never documents. */
import type { RelationConflict } from '../../src/koppelingen/nmbrs-mijnkantoor/domain/matching';

export interface CycleIds {
  tenantId: string;
  koppelingId: string;
  cycleNo: number;
}

/** One document to fetch from Nmbrs and file in Mijn Kantoor (its listing changed or it is new). */
export interface WorkItem {
  kind: 'loonstroken' | 'sepa' | 'loonaangiftes';
  companyId: number;
  customerId: string;
  year: number;
  /** Run id (payslips, SEPA) or LoonaangifteID. */
  sourceId: number;
  fingerprint: string;
  /** For names: run number and periods, or the declaration's period, tijdvak and correction flag. */
  runNumber?: number;
  periodStart: number;
  periodEnd: number;
  tijdvak?: string;
  correction?: boolean;
  label: string;
}

export interface ScanResult {
  companies: number;
  matched: number;
  work: WorkItem[];
  /** Documents whose listing did not change since they were filed. */
  unchanged: number;
  /** Runs not locked yet, loonaangiftes with a status outside the filter. */
  waiting: number;
  waitingReasons: string[];
  conflicts: RelationConflict[];
}

export interface FileResult {
  status: 'filed' | 'newVersion' | 'unchanged';
  name: string;
}

export interface RelationsResult {
  created: number;
  updated: number;
  unchanged: number;
  contacts: number;
  conflicts: RelationConflict[];
}

export interface JaarwerkTarget {
  /** As the CRM sent it: a customer id or number. */
  relation: string;
  customerId?: string;
  customerName?: string;
  companyId?: number;
  /** Set when the relation cannot be processed at all. */
  skipReason?: string;
}

export interface JaarwerkRelationInput {
  tenantId: string;
  koppelingId: string;
  year: number;
  customerId: string;
  companyId: number;
}

export interface JaarwerkRelationResult {
  status: 'done' | 'failed' | 'skipped';
  uploaded: number;
  already: number;
  reason?: string;
  /** The AnnualDocument calls Nmbrs refused (1002). */
  missingRights?: string[];
}

/** What the e-Boekhouden ↔ WerkbonApp workflow and its activities hand each other: ids and counts. */
import type { ImportKind } from '../../src/koppelingen/eboekhouden-werkbonapp/domain/import';
import type { CycleError } from '../../workflows/cycle';

export interface WerkbonCycleRef {
  tenantId: string;
  koppelingId: string;
  cycleNo: number;
}

export interface WerkbonPlan {
  import: Record<ImportKind, boolean>;
  factuur: boolean;
  exporteerRelaties: boolean;
}

export interface CatalogReadResult {
  /** Changed records waiting for WerkbonApp, per kind (only kinds switched on). */
  staged: Partial<Record<ImportKind, number>>;
  /** Records that cannot go to WerkbonApp (logged once per reason). */
  skipped: number;
}

export interface CatalogPushResult {
  synced: Partial<Record<ImportKind, number>>;
  /** Records sent earlier that WerkbonApp no longer has: forgotten, so the next read stages them again. */
  lost?: Partial<Record<ImportKind, number>>;
  errors: CycleError[];
}

export interface CollectResult {
  /** Werkbon row ids with an invoice draft, in WerkbonApp order. */
  ids: string[];
  /** Werkbonnen that cannot be invoiced as they are (logged with the reason). */
  skipped: number;
}

export interface RelatiesResult {
  created: number;
  updated: number;
  /** Werkbonnen held back because their relatie could not be exported. */
  blocked: number;
}

export interface InvoiceBatchInput extends WerkbonCycleRef {
  ids: string[];
  /** Last try in this cycle: transient failures are logged and left for the next cycle. */
  finalPass: boolean;
}

export interface InvoiceBatchResult {
  /** Werkbonnen whose invoice exists in e-Boekhouden (new or earlier): to be marked Afgehandeld. */
  invoiced: string[];
  /** New invoices written in this call (posted or found after a crash). */
  created: number;
  failed: number;
  /** Transient failures, worth another try in this cycle. */
  retry: string[];
  /** A problem every werkbon would meet (e.g. the invoice template does not exist): stop exporting. */
  fatal?: CycleError;
}

export interface MarkInput extends WerkbonCycleRef {
  ids: string[];
}

export interface MarkResult {
  marked: number;
  failed: number;
}

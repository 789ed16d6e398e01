/** What the eAccounting ↔ Visma.net workflow and its activities hand each other: ids and counts. */
import type { CycleError } from '../../workflows/cycle';

export type EvFlow = 'products' | 'customers' | 'orders';

/** Ledger entities: every Visma.net write goes through postOnce under one of these. */
export const ENTITY = {
  inventory: 'vismanet-inventory',
  inventoryUpdate: 'vismanet-inventory-update',
  customer: 'vismanet-customer',
  customerUpdate: 'vismanet-customer-update',
  salesOrder: 'vismanet-salesorder',
  confirm: 'vismanet-salesorder-confirm',
} as const;

export interface EvCycleRef {
  tenantId: string;
  koppelingId: string;
  cycleNo: number;
}

export interface EvPlan {
  products: boolean;
  customers: boolean;
  orders: boolean;
}

export interface EvScanResult {
  /** Source records seen. */
  seen: number;
  /** Keys staged for the push, in source order (bounded per cycle). */
  keys: string[];
  /** Left for the next cycle because of the per-cycle bound. */
  deferred: number;
}

export interface EvPushInput extends EvCycleRef {
  flow: EvFlow;
  keys: string[];
}

export interface EvPushResult {
  created: number;
  updated: number;
  skipped: number;
  waiting: number;
  failed: number;
  /** Problems worth one line in the cycle outcome (the activity log has every item). */
  errors: CycleError[];
}

export const emptyPush = (): EvPushResult => ({ created: 0, updated: 0, skipped: 0, waiting: 0, failed: 0, errors: [] });

/**
 * TEMPORARY (deleted when the other helpers' branches are merged): the few names this koppeling
 * uses from the datamapper, the activity log and the tenant monitoring, as agreed in the issue's interfaces. Everything else imports them from here,
 * so the merge swaps this one file for the real modules.
 */
import { z } from 'zod';

// --- datamapper (src/koppelingen/eaccounting-vismanet/domain/datamapper.ts) ---------------------
export const FLOWS = ['products', 'customers', 'orders'] as const;
export type Flow = (typeof FLOWS)[number];
export const datamapperSchema = z.unknown();
export type Datamapper = unknown;
export const DEFAULT_DATAMAPPER: Datamapper = undefined;
export function applyDatamapper(_mappings: Datamapper, _flow: Flow, _source: unknown): { payload: Record<string, unknown>; errors: { field: string; reason: string }[] } {
  return { payload: {}, errors: [] };
}

// --- activity log (src/store/activity-log.ts) and monitoring (src/platform/notify.ts) ------------
export interface ActivityLogInput {
  tenantId: string;
  koppelingId: string;
  flow: string;
  itemKey: string;
  status: 'ok' | 'skipped' | 'waiting' | 'failed';
  source?: unknown;
  pushed?: unknown;
  answer?: unknown;
  message?: string;
  cycleNo?: number;
  at: Date;
}
export interface ActivityLogStore {
  record(entries: ActivityLogInput[]): Promise<void>;
}
export interface TenantEvent {
  tenantId: string;
  koppelingId: string;
  kind: 'item_failed' | 'cycle_failed' | 'waiting';
  dedupeKey: string;
  message: string;
  flow?: string;
  itemKey?: string;
  state?: string;
}
export async function notifyTenant(_deps: unknown, _event: TenantEvent): Promise<void> {}

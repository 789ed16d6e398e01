/**
 * TEMPORARY (deleted when the other helpers' branches are merged): the few names this koppeling
 * uses from the Visma.net system, the eAccounting growth, the datamapper, the activity log and the
 * tenant monitoring, as agreed in the issue's interfaces. Everything else imports them from here,
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

// --- Visma.net client (src/systems/vismanet/client) ----------------------------------------------
export interface VismanetCredentials {
  clientId: string;
  clientSecret: string;
  tenantId: string;
}
export interface VismanetCustomer {
  number: string;
  name?: string;
  mainContact?: { email?: string; name?: string } | null;
  [k: string]: unknown;
}
export interface VismanetInventoryItem {
  inventoryNumber: string;
  description?: string;
  body?: string;
  [k: string]: unknown;
}
export interface VismanetSalesOrder {
  id?: string;
  orderId?: string;
  status?: string;
  customerRefNo?: string;
  [k: string]: unknown;
}
export interface VismanetClient {
  findCustomersByEmail(email: string): Promise<VismanetCustomer[]>;
  getCustomer(number: string): Promise<VismanetCustomer | undefined>;
  createCustomer(input: Record<string, unknown>): Promise<{ number: string }>;
  updateCustomer(number: string, input: Record<string, unknown>): Promise<void>;
  getInventoryItem(inventoryNumber: string): Promise<VismanetInventoryItem | undefined>;
  createInventoryItem(input: Record<string, unknown>): Promise<{ inventoryNumber: string }>;
  updateInventoryItem(inventoryNumber: string, input: Record<string, unknown>): Promise<void>;
  listBranches(): Promise<unknown[]>;
  createSalesOrder(input: Record<string, unknown>): Promise<{ id: string }>;
  getSalesOrder(id: string): Promise<{ order: VismanetSalesOrder; etag: string } | undefined>;
  findSalesOrdersByReference(ref: string): Promise<VismanetSalesOrder[]>;
  confirmSalesOrder(id: string): Promise<void>;
}
export function createVismanetClient(_opts: { baseUrl: string; identityUrl?: string; credentials: VismanetCredentials; signal?: AbortSignal }): VismanetClient {
  throw new Error('the Visma.net client is not merged yet');
}

// --- eAccounting client growth (src/systems/eaccounting/client) ----------------------------------
export interface EaccountingSales {
  listArticles(opts?: Record<string, unknown>): Promise<Array<Record<string, unknown>>>;
  getArticle(id: string): Promise<Record<string, unknown> | undefined>;
  listCustomers(opts?: Record<string, unknown>): Promise<Array<Record<string, unknown>>>;
  getCustomer(id: string): Promise<Record<string, unknown> | undefined>;
  listOrders(opts?: { statuses?: number[]; modifiedSince?: string }): Promise<Array<Record<string, unknown>>>;
  getOrder(id: string): Promise<Record<string, unknown> | undefined>;
  listTermsOfPayment(): Promise<Array<Record<string, unknown>>>;
  listUnits(): Promise<Array<Record<string, unknown>>>;
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

// --- the Visma.net system (src/systems/vismanet/system.ts) ---------------------------------------
export const VISMANET_SYSTEM = {
  id: 'vismanet',
  label: 'Visma.net ERP',
  taskQueue: 'koppelwerk-vismanet',
  rateBudget: { perSecond: 10, concurrency: 10 },
  baseUrl: { env: 'VISMANET_BASE_URL', default: 'https://api.finance.visma.net' },
  credentials: z.object({ clientId: z.string().min(1), clientSecret: z.string().min(1), tenantId: z.string().min(1) }).strict() as unknown as z.ZodType<Record<string, string>>,
  credentialHelp: { oorzaak: 'Er zijn geen inloggegevens voor Visma.net ERP opgeslagen.', oplossing: 'Vul client id, client secret en tenant id van Visma.net in.' },
} as never;

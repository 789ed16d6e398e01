/**
 * Werkbon status machine: Klaargezet → Opgehaald → Compleet → Afgehandeld (contract B3).
 * The customer-defined workstatus ("1 naar E-boekhouden") is separate and lives on the werkbon.
 */
export const WORKORDER_STATUSES = ['Klaargezet', 'Opgehaald', 'Compleet', 'Afgehandeld'] as const;
export type WorkorderStatus = (typeof WORKORDER_STATUSES)[number];

/** Values GetWorkorders accepts for `status`. */
export const STATUS_FILTERS = ['Alle', ...WORKORDER_STATUSES] as const;
export type StatusFilter = (typeof STATUS_FILTERS)[number];

/** Klaargezet → Compleet directly lets the control API play "device fetched and finished it" in one step. */
const NEXT: Record<WorkorderStatus, readonly WorkorderStatus[]> = {
  Klaargezet: ['Opgehaald', 'Compleet'],
  Opgehaald: ['Compleet'],
  Compleet: ['Afgehandeld'],
  Afgehandeld: [],
};

export function isWorkorderStatus(v: unknown): v is WorkorderStatus {
  return typeof v === 'string' && (WORKORDER_STATUSES as readonly string[]).includes(v);
}

export function isStatusFilter(v: unknown): v is StatusFilter {
  return typeof v === 'string' && (STATUS_FILTERS as readonly string[]).includes(v);
}

export function canTransition(from: WorkorderStatus, to: WorkorderStatus): boolean {
  return NEXT[from].includes(to);
}

/**
 * What an Open API fetch (GetWorkorders / GetWorkorder) does to a werkbon's status.
 * The WerkbonApp page [C: WB] says only *Compleet* bonnen switch to Afgehandeld when fetched; the
 * OutSmart text says "all fetched workorders". We follow WerkbonApp: marking a bon that is still
 * Klaargezet/Opgehaald as handled would hide unfinished work from the office.
 */
export function statusAfterFetch(status: WorkorderStatus, updateStatus: boolean): WorkorderStatus {
  return updateStatus && status === 'Compleet' ? 'Afgehandeld' : status;
}

/** `update_status` defaults to true on the wire: anything but an explicit false/0 means "mark handled". */
export function parseUpdateStatus(raw: unknown): boolean {
  if (typeof raw !== 'string') return true;
  const v = raw.trim().toLowerCase();
  return !(v === 'false' || v === '0');
}

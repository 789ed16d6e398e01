/**
 * State of the Visma.net ERP simulator: Visma Connect's clients, tenants and tokens, and per
 * (Company) tenant the customers, inventory, branches and v3 sales orders. Pure data + rules; the
 * HTTP layers (api.ts, control.ts) call it. Records are kept in their read shape (contract §3.6).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { demoData, emptyCompany, emptyData } from './demo';
import {
  ALREADY_EXISTS_STATUS,
  alreadyExistsText,
  BARE_SCALAR_IGNORED,
  cannotBeEmptyText,
  CONFIRMED_ORDER_STATUS,
  EXTERNAL_REFERENCE_FIELD,
  FIELD_LABELS,
  INVENTORY_DEFAULTS,
  NEW_ORDER_STATUS,
  notFoundText,
  ORDER_BRANCH_REQUIRED,
  orderNumber,
  RATE_LIMIT_PER_WINDOW,
  RATE_LIMIT_WINDOW_SECONDS,
  TOKEN_SECONDS,
} from './inferred';
import type { Json, SimCompanyData, SimData, SimToken } from './types';

/** An error answer: HTTP status and the `message` text (contract §3.3). */
export class SimError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export const vismaId = () => randomUUID();

/** `{value}` DTO → plain values; bare scalars do not bind (BARE_SCALAR_IGNORED). */
export function unwrap(dto: unknown): Json {
  const out: Json = {};
  if (typeof dto !== 'object' || dto === null || Array.isArray(dto)) return out;
  for (const [k, raw] of Object.entries(dto as Json)) {
    if (Array.isArray(raw)) {
      out[k] = raw.map((x) => unwrap(x));
      continue;
    }
    if (typeof raw === 'object' && raw !== null && 'value' in raw) {
      const v = (raw as { value: unknown }).value;
      out[k] = typeof v === 'object' && v !== null && !Array.isArray(v) ? unwrap(v) : v;
    } else if (!BARE_SCALAR_IGNORED) out[k] = raw;
  }
  return out;
}

const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const empty = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');

/** Update-DTO fields that become `{ id }` objects in the read shape. */
const ID_REFS: Record<string, string> = { customerClassId: 'customerClass', creditTermsId: 'creditTerms', vatZoneId: 'vatZone', countryId: 'country', itemClass: 'itemClass', postingClass: 'postingClass', vatCode: 'vatCode' };

/** Merges an unwrapped update DTO into a read record (absent fields stay as they are). */
function merge(target: Json, update: Json): void {
  for (const [k, v] of Object.entries(update)) {
    if (k === 'overrideNumberSeries' || k === 'number' || k === 'inventoryNumber') continue;
    if (ID_REFS[k] && (typeof v === 'string' || typeof v === 'number')) {
      target[ID_REFS[k]] = { ...(isObj(target[ID_REFS[k]]) ? (target[ID_REFS[k]] as Json) : {}), id: String(v) };
    } else if (isObj(v)) {
      const cur = isObj(target[k]) ? (target[k] as Json) : {};
      merge(cur, v);
      target[k] = cur;
    } else target[k] = v;
  }
}

const stamp = (n: number) => Buffer.from(`${n}-${Date.now()}`).toString('base64');

export class VismanetState {
  data: SimData;
  tokenSeconds = TOKEN_SECONDS;
  rateLimit = { perWindow: RATE_LIMIT_PER_WINDOW, windowSeconds: RATE_LIMIT_WINDOW_SECONDS };
  private windows = new Map<string, { start: number; count: number }>();
  stats = { calls: {} as Record<string, number>, writes: {} as Record<string, number>, tokensIssued: 0, rateLimited: 0 };
  now: () => number = () => Date.now();

  constructor(opts: { demo?: boolean } = {}) {
    this.data = opts.demo === false ? emptyData() : demoData();
  }

  snapshot(): SimData {
    return this.data;
  }

  load(saved: SimData): void {
    this.data = { ...emptyData(), ...saved };
  }

  reset(demo = true): void {
    this.data = demo ? demoData() : emptyData();
    this.windows.clear();
    this.rateLimit = { perWindow: RATE_LIMIT_PER_WINDOW, windowSeconds: RATE_LIMIT_WINDOW_SECONDS };
    this.tokenSeconds = TOKEN_SECONDS;
    this.resetStats();
  }

  /** A new limit starts fresh windows. */
  setRateLimit(l: { perWindow: number; windowSeconds: number }): void {
    this.rateLimit = l;
    this.windows.clear();
  }

  resetStats(): void {
    this.stats = { calls: {}, writes: {}, tokensIssued: 0, rateLimited: 0 };
  }

  count(endpoint: string, write: boolean): void {
    this.stats.calls[endpoint] = (this.stats.calls[endpoint] ?? 0) + 1;
    if (write) this.stats.writes[endpoint] = (this.stats.writes[endpoint] ?? 0) + 1;
  }

  // --- Visma Connect ---------------------------------------------------------------------------

  issueToken(clientId: string, tenantId: string, scopes: string[]): SimToken {
    const t: SimToken = { token: `vc_${randomBytes(24).toString('base64url')}`, clientId, tenantId, scopes, expiresAt: this.now() + this.tokenSeconds * 1000 };
    // Expired tokens are dropped here, so the state file does not grow without end.
    this.data.tokens = [...this.data.tokens.filter((x) => x.expiresAt > this.now()), t];
    this.stats.tokensIssued++;
    return t;
  }

  validToken(token: string): SimToken | undefined {
    const t = this.data.tokens.find((x) => x.token === token);
    return t && t.expiresAt > this.now() ? t : undefined;
  }

  expireTokens(): number {
    let n = 0;
    for (const t of this.data.tokens) {
      if (t.expiresAt > this.now()) n++;
      t.expiresAt = 0;
    }
    return n;
  }

  /** Fixed window per tenant + client + service (§3.4): the headers to send, and whether to refuse. */
  takeRate(key: string): { limit: number; remaining: number; resetSeconds: number; refused: boolean } {
    const now = this.now();
    const windowMs = this.rateLimit.windowSeconds * 1000;
    let w = this.windows.get(key);
    if (!w || now >= w.start + windowMs) {
      w = { start: now, count: 0 };
      this.windows.set(key, w);
    }
    const resetSeconds = Math.max(1, Math.ceil((w.start + windowMs - now) / 1000));
    if (w.count >= this.rateLimit.perWindow) {
      this.stats.rateLimited++;
      return { limit: this.rateLimit.perWindow, remaining: 0, resetSeconds, refused: true };
    }
    w.count++;
    return { limit: this.rateLimit.perWindow, remaining: this.rateLimit.perWindow - w.count, resetSeconds, refused: false };
  }

  // --- company data ----------------------------------------------------------------------------

  company(tenantId: string): SimCompanyData {
    let c = this.data.companies[tenantId];
    if (!c) {
      c = emptyCompany();
      this.data.companies[tenantId] = c;
    }
    return c;
  }

  customer(tenantId: string, number: string): Json | undefined {
    return this.company(tenantId).customers.find((c) => c.number === number);
  }

  /** POST /customer: the new number. */
  createCustomer(tenantId: string, dto: unknown): string {
    const c = this.company(tenantId);
    const u = unwrap(dto);
    const override = u.overrideNumberSeries === true;
    if (override && empty(u.number)) throw new SimError(400, cannotBeEmptyText(vismaId(), 'Error inserting the customer', 'Customer', FIELD_LABELS['customer.number']));
    if (empty(u.name)) throw new SimError(400, cannotBeEmptyText(vismaId(), 'Error inserting the customer', 'Customer', FIELD_LABELS['customer.name']));
    let number: string;
    if (override) {
      number = String(u.number);
      if (this.customer(tenantId, number)) throw new SimError(ALREADY_EXISTS_STATUS, alreadyExistsText(vismaId(), 'Customer', number));
    } else {
      do number = String(c.nextCustomerNumber++);
      while (this.customer(tenantId, number));
    }
    const internalId = Math.max(0, ...c.customers.map((x) => Number(x.internalId) || 0)) + 1;
    const at = new Date(this.now()).toISOString();
    const rec: Json = { internalId, number, status: 'Active', currencyId: 'EUR', createdDateTime: at };
    merge(rec, u);
    if (isObj(rec.mainContact)) rec.mainContact = { contactId: internalId, ...rec.mainContact };
    rec.lastModifiedDateTime = at;
    rec.timeStamp = stamp(internalId);
    c.customers.push(rec);
    return number;
  }

  updateCustomer(tenantId: string, number: string, dto: unknown): void {
    const rec = this.customer(tenantId, number);
    if (!rec) throw new SimError(404, notFoundText(vismaId(), 'Customer', number));
    const u = unwrap(dto);
    if ('name' in u && empty(u.name)) throw new SimError(400, cannotBeEmptyText(vismaId(), 'Error updating the customer', 'Customer', FIELD_LABELS['customer.name']));
    merge(rec, u);
    rec.lastModifiedDateTime = new Date(this.now()).toISOString();
    rec.timeStamp = stamp(Number(rec.internalId));
  }

  inventoryItem(tenantId: string, inventoryNumber: string): Json | undefined {
    return this.company(tenantId).inventory.find((i) => i.inventoryNumber === inventoryNumber);
  }

  createInventory(tenantId: string, dto: unknown): string {
    const c = this.company(tenantId);
    const u = unwrap(dto);
    const action = 'Error inserting the inventory item';
    if (empty(u.inventoryNumber)) throw new SimError(400, cannotBeEmptyText(vismaId(), action, 'Inventory Item', FIELD_LABELS['inventory.inventoryNumber']));
    if (empty(u.description)) throw new SimError(400, cannotBeEmptyText(vismaId(), action, 'Inventory Item', FIELD_LABELS['inventory.description']));
    const inventoryNumber = String(u.inventoryNumber).trim();
    if (this.inventoryItem(tenantId, inventoryNumber)) throw new SimError(ALREADY_EXISTS_STATUS, alreadyExistsText(vismaId(), 'Inventory item', inventoryNumber));
    const inventoryId = Math.max(0, ...c.inventory.map((x) => Number(x.inventoryId) || 0)) + 1;
    const rec: Json = {
      inventoryId,
      inventoryNumber,
      status: INVENTORY_DEFAULTS.status,
      type: INVENTORY_DEFAULTS.type,
      itemClass: { id: INVENTORY_DEFAULTS.itemClass },
      baseUnit: INVENTORY_DEFAULTS.baseUnit,
      salesUnit: INVENTORY_DEFAULTS.baseUnit,
      purchaseUnit: INVENTORY_DEFAULTS.baseUnit,
    };
    merge(rec, u);
    rec.lastModifiedDateTime = new Date(this.now()).toISOString();
    rec.timestamp = stamp(inventoryId);
    c.inventory.push(rec);
    return inventoryNumber;
  }

  updateInventory(tenantId: string, inventoryNumber: string, dto: unknown): void {
    const rec = this.inventoryItem(tenantId, inventoryNumber);
    if (!rec) throw new SimError(404, notFoundText(vismaId(), 'Inventory item', inventoryNumber));
    const u = unwrap(dto);
    if ('description' in u && empty(u.description)) throw new SimError(400, cannotBeEmptyText(vismaId(), 'Error updating the inventory item', 'Inventory Item', FIELD_LABELS['inventory.description']));
    merge(rec, u);
    rec.lastModifiedDateTime = new Date(this.now()).toISOString();
    rec.timestamp = stamp(Number(rec.inventoryId));
  }

  // --- sales orders v3 -------------------------------------------------------------------------

  salesOrder(tenantId: string, type: string, orderId: string): Json | undefined {
    return this.company(tenantId).salesOrders.find((o) => o.type === type && o.orderId === orderId);
  }

  static etag(o: Json): string {
    return `"${String(o.orderId)}-${String(o.version)}"`;
  }

  /** POST /api/v3/SalesOrders (plain JSON, not `{value}`): the new order. */
  createSalesOrder(tenantId: string, body: unknown): Json {
    const c = this.company(tenantId);
    const b = isObj(body) ? body : {};
    const fail = (label: string) => new SimError(400, cannotBeEmptyText(vismaId(), 'Error inserting the sales order', 'Sales Order', label));
    if (empty(b.type)) throw fail(FIELD_LABELS['salesorder.type']);
    const customerId = isObj(b.customer) ? b.customer.id : undefined;
    if (empty(customerId)) throw fail(FIELD_LABELS['salesorder.customer']);
    const customer = this.customer(tenantId, String(customerId));
    if (!customer) throw new SimError(400, `VismaId: ${vismaId()}. Error: Customer '${String(customerId)}' does not exist.`);
    if (ORDER_BRANCH_REQUIRED && empty(b.branchId)) throw fail(FIELD_LABELS['salesorder.branchId']);
    if (!empty(b.branchId) && !c.branches.some((x) => x.number === String(b.branchId))) throw new SimError(400, `VismaId: ${vismaId()}. Error: Branch '${String(b.branchId)}' does not exist.`);
    const lines = Array.isArray(b.orderLines) ? b.orderLines : [];
    if (lines.length === 0) throw fail(FIELD_LABELS['salesorder.orderLines']);
    const orderLines = lines.map((raw, i) => {
      const l = isObj(raw) ? raw : {};
      if (empty(l.inventoryId)) throw fail(FIELD_LABELS['salesorder.line.inventoryId']);
      if (typeof l.quantity !== 'number') throw fail(FIELD_LABELS['salesorder.line.quantity']);
      const item = this.inventoryItem(tenantId, String(l.inventoryId));
      if (!item) throw new SimError(400, `VismaId: ${vismaId()}. Error: Inventory item '${String(l.inventoryId)}' does not exist.`);
      const unitPrice = typeof l.unitPrice === 'number' ? l.unitPrice : Number(item.defaultPrice ?? 0);
      const discountPercent = typeof l.discountPercent === 'number' ? l.discountPercent : 0;
      const lineAmount = Math.round(unitPrice * l.quantity * (1 - discountPercent / 100) * 100) / 100;
      return { lineId: i + 1, inventory: { id: String(l.inventoryId), description: item.description }, quantity: l.quantity, unitPrice, discountPercent, lineAmount, ...(l.warehouseId ? { warehouseId: l.warehouseId } : {}), ...(l.description ? { description: l.description } : {}) };
    });
    const type = String(b.type);
    const n = (c.nextOrderNumber[type] ?? 1);
    c.nextOrderNumber[type] = n + 1;
    const at = new Date(this.now()).toISOString();
    const order: Json = {
      orderId: orderNumber(n),
      type,
      status: b.hold === false ? CONFIRMED_ORDER_STATUS : NEW_ORDER_STATUS,
      date: typeof b.date === 'string' ? b.date : at.slice(0, 10),
      customer: { id: customer.number, name: customer.name },
      branchId: empty(b.branchId) ? undefined : String(b.branchId),
      [EXTERNAL_REFERENCE_FIELD]: typeof b[EXTERNAL_REFERENCE_FIELD] === 'string' ? b[EXTERNAL_REFERENCE_FIELD] : undefined,
      customerOrder: typeof b.customerOrder === 'string' ? b.customerOrder : undefined,
      description: typeof b.description === 'string' ? b.description : undefined,
      currency: typeof b.currency === 'string' ? b.currency : 'EUR',
      orderLines,
      orderTotal: Math.round(orderLines.reduce((s, l) => s + l.lineAmount, 0) * 100) / 100,
      createdDateTime: at,
      lastModifiedDateTime: at,
      version: 1,
    };
    c.salesOrders.push(order);
    return order;
  }

  /** PATCH /SalesOrders/{type}/{id}: If-Match is required; a stale one is refused. */
  patchSalesOrder(tenantId: string, type: string, orderId: string, ifMatch: string | undefined, body: unknown, statuses: { missing: number; stale: number }): Json {
    const o = this.salesOrder(tenantId, type, orderId);
    if (!o) throw new SimError(404, notFoundText(vismaId(), 'Sales order', `${type}/${orderId}`));
    if (!ifMatch) throw new SimError(statuses.missing, 'Precondition required: send the If-Match header with the ETag of the order.');
    if (ifMatch !== '*' && ifMatch !== VismanetState.etag(o)) throw new SimError(statuses.stale, 'Precondition failed: the order was changed since the ETag was read.');
    const b = isObj(body) ? body : {};
    for (const k of ['status', 'description', 'customerRefNo', 'customerOrder', 'date', 'branchId'] as const) if (typeof b[k] === 'string') o[k] = b[k];
    if (b.hold === true) o.status = NEW_ORDER_STATUS;
    if (b.hold === false) o.status = CONFIRMED_ORDER_STATUS;
    o.version = Number(o.version) + 1;
    o.lastModifiedDateTime = new Date(this.now()).toISOString();
    return o;
  }
}

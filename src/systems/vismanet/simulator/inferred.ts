/**
 * INFERRED — every rule of the Visma.net ERP simulator (Visma Connect token endpoint, ERP API v1,
 * SalesOrders API v3) that the public sources do not settle, in one place, each citing
 * shared/contracts/visma.md. The simulator code reads these constants and functions; to correct a
 * guess, change it here.
 */

/** INFERRED (§1.2 "3600 s" measured, not a documented rule): a client-credentials token lives one hour. */
export const TOKEN_SECONDS = 3600;

/**
 * INFERRED (§1.2 fix-401): a tenant the app was not approved in is refused at the token endpoint
 * with HTTP 400 `invalid_grant`; a *Customer* tenant (rather than the *Company* tenant) gets a
 * token, but the API answers it with HTTP 401.
 */
export const UNAPPROVED_TENANT = { status: 400, error: 'invalid_grant', description: (tenantId: string) => `The client is not approved for tenant '${tenantId}'.` } as const;
export const CUSTOMER_TENANT_API_STATUS = 401;

/** INFERRED (§1.2): a scope the app was not approved for is refused with 400 `invalid_scope`; a missing scope on a call gives 403. */
export const SCOPE_NOT_APPROVED_ERROR = 'invalid_scope';
export const MISSING_SCOPE_STATUS = 403;

/**
 * INFERRED (§1.2 "SalesOrder v3 uses visma.net.erp.salesorder:read / :write"; the ERP names are
 * confirmed): the scope each kind of call needs.
 */
export function requiredScope(service: 'erp' | 'salesorder', method: string): string {
  if (service === 'salesorder') return method === 'GET' ? 'visma.net.erp.salesorder:read' : 'visma.net.erp.salesorder:write';
  if (method === 'GET') return 'vismanet_erp_service_api:read';
  if (method === 'POST') return 'vismanet_erp_service_api:create';
  if (method === 'DELETE') return 'vismanet_erp_service_api:delete';
  return 'vismanet_erp_service_api:update';
}

/**
 * INFERRED (§3.4: "X requests per hour per company + client", the number only in headers): a fixed
 * one-hour window per tenant, client and service (ERP API and SalesOrders API count apart), with
 * this limit. The control API can lower it (tests) or the window length.
 */
export const RATE_LIMIT_PER_WINDOW = 20_000;
export const RATE_LIMIT_WINDOW_SECONDS = 3600;
export const RATE_LIMIT_POLICY = '4-fixed-window';

/** INFERRED (§3.2: pageNumber/pageSize "mandatory", pageSize capped at maxPageSize): left out they default to page 1 and maxPageSize; the cap is 1000. */
export const MAX_PAGE_SIZE = 1000;

/** INFERRED (§6 Q8): the customer `email` filter matches `mainContact.email`, exactly but case-insensitively; e-mail is not unique. */
export function customerEmailMatches(contactEmail: string | undefined, filter: string): boolean {
  return (contactEmail ?? '').trim().toLowerCase() === filter.trim().toLowerCase();
}

/** INFERRED (§3.5): the `name` filter on /customer is an exact, case-insensitive match. */
export function customerNameMatches(name: string, filter: string): boolean {
  return name.toLowerCase() === filter.toLowerCase();
}

/**
 * INFERRED (§3.2 `{value}` DTOs): a write field sent bare (not wrapped in `{value}`) does not bind
 * and counts as not sent, as a .NET model binder leaves it null.
 */
export const BARE_SCALAR_IGNORED = true;

/**
 * INFERRED (§3.3): the screen names in "'<Field>' cannot be empty" per DTO field. 'Customer ID' is
 * quoted in the contract; the others follow the Visma.net screens.
 */
export const FIELD_LABELS: Readonly<Record<string, string>> = {
  'customer.number': 'Customer ID',
  'customer.name': 'Customer Name',
  'inventory.inventoryNumber': 'Inventory ID',
  'inventory.description': 'Description',
  'salesorder.type': 'Order Type',
  'salesorder.customer': 'Customer',
  'salesorder.branchId': 'Branch',
  'salesorder.orderLines': 'Order Lines',
  'salesorder.line.inventoryId': 'Inventory ID',
  'salesorder.line.quantity': 'Quantity',
};

/** The error text family quoted in §3.3, for an insert of `entity` with one empty required field. */
export function cannotBeEmptyText(vismaId: string, action: string, record: string, label: string): string {
  return `VismaId: ${vismaId}. ${action}. Error: Inserting '${record}' record raised at least one error. Please review the errors.\r\nError: '${label}' cannot be empty.\r\n`;
}

/** INFERRED (§3.3 status profile lists 409): a second insert of an existing key answers 409 with this text. */
export const alreadyExistsText = (vismaId: string, what: string, key: string) => `VismaId: ${vismaId}. Error: ${what} '${key}' already exists.`;
export const ALREADY_EXISTS_STATUS = 409;

/** INFERRED (§3.3): a record looked up by key that does not exist: 404 with this text. */
export const notFoundText = (vismaId: string, what: string, key: string) => `VismaId: ${vismaId}. ${what} with key '${key}' not found.`;

/** INFERRED (§3.5 `overrideNumberSeries`): a customer number is honoured only with overrideNumberSeries; otherwise the series gives the next one. */
export const CUSTOMER_NUMBER_SERIES_START = 10001;

/** INFERRED (§3.6): defaults of a new inventory item when the DTO leaves them out. */
export const INVENTORY_DEFAULTS = { status: 'Active', type: 'NonStockItem', baseUnit: 'STUK', itemClass: 'ALG' } as const;

/**
 * INFERRED (§6 Q9, §3.6 SalesOrderUpdateDto.customerRefNo): the v3 order carries the source
 * system's order reference in `customerRefNo`, and the v3 list's `$filter` finds it with
 * `customerRefNo eq '<ref>'`.
 */
export const EXTERNAL_REFERENCE_FIELD = 'customerRefNo';

/** INFERRED (§3.5 v3 `$filter`): only `<field> eq '<value>'` clauses joined by `and`; `customer/id` reaches into the customer. */
export const V3_FILTER_OPERATORS = ['eq'] as const;

/** INFERRED (§3.5 v3 `pageSize`/`pageIndex`): pageIndex counts from 1, pageSize defaults to 100 (max 1000); `nextPage` is an absolute URL or null. */
export const V3_DEFAULT_PAGE_SIZE = 100;

/**
 * INFERRED (§6 Q10): a v3 order is created in status `Hold` unless the POST says `hold: false`;
 * "confirming" it is a PATCH to status `Open` (with If-Match).
 */
export const NEW_ORDER_STATUS = 'Hold';
export const CONFIRMED_ORDER_STATUS = 'Open';

/** INFERRED (issue 11 "missing data such as the branch filled from settings"): a v3 order without `branchId` is refused ('Branch' cannot be empty). */
export const ORDER_BRANCH_REQUIRED = true;

/** INFERRED (§3.5 v3 "409/412 on conflict"): a stale If-Match gives 412, none gives 428. */
export const STALE_ETAG_STATUS = 412;
export const MISSING_IF_MATCH_STATUS = 428;

/** INFERRED (§3.5): v3 order numbers are 6 digits per order type, counting from 1. */
export const orderNumber = (n: number) => String(n).padStart(6, '0');

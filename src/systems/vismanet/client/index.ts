export { clearVismanetTokenCache, createVismanetClient, TOKEN_RENEW_MARGIN_MS, VISMANET_SCOPES, wrapDto, type VismanetClient, type VismanetClientOptions, type VismanetCredentials } from './client';
export { emptyFieldLabel, isVismanetError, mapApiError, retryAfterSeconds, VismanetError, type VismanetErrorKind } from './errors';
export type { VismanetBranch, VismanetCustomer, VismanetCustomerInput, VismanetInventoryInput, VismanetInventoryItem, VismanetSalesOrder, VismanetSalesOrderInput } from './schemas';

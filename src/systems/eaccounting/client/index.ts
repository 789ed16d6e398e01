export { createEaccountingClient, type ArticleListOptions, type CustomerListOptions, type EaccountingClient, type EaccountingClientOptions, type OrderListOptions, type TokenProvider } from './client';
export { mapError, retryAfterFromText, FISCAL_YEAR_MISSING, MODULE_MISSING, LEDGER_FIELDS_MISSING, SALES_MODULE_MISSING, SCOPE_MISSING } from './errors';
export type { Account, Article, CompanySettings, Customer, FiscalYear, Order, OrderRow, TermsOfPayment, Unit, Voucher, VoucherInput } from './schemas';
export { ORDER_STATUS, unsupportedArticleFeatures } from './schemas';

export { createEaccountingClient, type EaccountingClient, type EaccountingClientOptions, type TokenProvider } from './client';
export { mapError, retryAfterFromText, FISCAL_YEAR_MISSING, MODULE_MISSING, LEDGER_FIELDS_MISSING } from './errors';
export type { Account, CompanySettings, FiscalYear, Voucher, VoucherInput } from './schemas';

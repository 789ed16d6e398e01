/** The simulator's own records (JSON-serialisable: they are the state file). PascalCase where they are wire records. */

export interface SimClient {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
}

export interface SimUser {
  email: string;
  password: string;
  companies: string[];
  /** Visma Online's "default company": skips the company picker at login. */
  defaultCompanyId: string | null;
  /** Bumped by a password change; tokens of an older version are dead. */
  passwordVersion: number;
}

export interface SimFiscalYear {
  Id: string;
  StartDate: string;
  EndDate: string;
  IsLockedForAccounting: boolean;
  BookkeepingMethod: number;
}

export interface SimAccount {
  Number: string;
  Name: string;
  FiscalYearId: string;
  IsActive: boolean;
  IsBlockedForManualBooking: boolean;
}

export interface SimVoucherRow {
  AccountNumber: number;
  AccountDescription: string;
  DebitAmount: number;
  CreditAmount: number;
  TransactionText: string | null;
}

export interface SimVoucher {
  Id: string;
  VoucherDate: string;
  VoucherText: string;
  Rows: SimVoucherRow[];
  NumberAndNumberSeries: string;
  NumberSeries: string;
  VoucherType: number;
  FiscalYearId: string;
  CreatedUtc: string;
  ModifiedUtc: string;
}

export interface SimCompany {
  id: string;
  name: string;
  modules: string[];
  /** CompanySettings.AccountingLockedTo: vouchers on or before this date are refused (4026). */
  accountingLockedTo: string | null;
  /** Control switch for the seed's third error ('Ledger' cannot be empty). */
  generalLedgerIncomplete: boolean;
  fiscalYears: SimFiscalYear[];
  accounts: SimAccount[];
  vouchers: SimVoucher[];
  voucherCounters: Record<string, number>;
}

export interface SimCode {
  code: string;
  clientId: string;
  redirectUri: string;
  email: string;
  companyId: string;
  scope: string;
  challenge?: string;
  used: boolean;
  expiresAt: number;
}

export interface SimGrant {
  email: string;
  companyId: string;
  clientId: string;
  scope: string;
  passwordVersion: number;
}

export interface SimAccessToken extends SimGrant {
  token: string;
  expiresAt: number;
  revoked: boolean;
}

export interface SimRefreshToken extends SimGrant {
  token: string;
  /** rotated: a newer refresh token replaced it (rotation cancels it). */
  status: 'active' | 'rotated' | 'revoked';
}

export interface SimSession {
  id: string;
  email: string;
  /** Per authorize request (hash of its query): consent given and the company picked. */
  flows: Record<string, { consented: boolean; companyId?: string }>;
}

export interface SimData {
  clients: SimClient[];
  users: SimUser[];
  companies: SimCompany[];
  codes: SimCode[];
  accessTokens: SimAccessToken[];
  refreshTokens: SimRefreshToken[];
  sessions: SimSession[];
}

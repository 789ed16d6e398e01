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

/** Contract §2.5 TermsOfPayment (GET /v2/termsofpayments). */
export interface SimTermsOfPayment {
  Id: string;
  Name: string;
  NameEnglish: string | null;
  NumberOfDays: number;
  /** 0 Normal, 1 CurrentMonth, 2 Cash, … */
  TermsOfPaymentTypeId: number;
  AvailableForSales: boolean;
  AvailableForPurchase: boolean;
}

/** Contract §2.5 Unit (GET /v2/units). */
export interface SimUnit {
  Id: string;
  Name: string;
  Code: string;
  Abbreviation: string;
  AbbreviationEnglish: string | null;
}

/** Contract §2.5 Article; ArticleLabels, Attributes and Images are INFERRED (inferred.ts ARTICLE_EXTRAS). */
export interface SimArticle {
  Id: string;
  Number: string;
  Name: string;
  NameEnglish: string | null;
  IsActive: boolean;
  CodingId: string;
  CodingName: string;
  UnitId: string;
  UnitName: string;
  UnitAbbreviation: string;
  NetPrice: number;
  GrossPrice: number;
  NetPriceWithDiscount: number | null;
  PurchasePrice: number | null;
  StockBalance: number;
  StockBalanceAvailable: number;
  StockBalanceReserved: number;
  IsStock: boolean;
  IsServiceArticle: boolean;
  Barcodes: string[];
  SendToWebshop: boolean;
  ArticleLabels: Array<{ Id: string; Name: string }>;
  Attributes: Array<{ Name: string; Value: string }>;
  Images: Array<{ Url: string }>;
  CreatedUtc: string;
  ChangedUtc: string;
}

/** Contract §2.5 Customer. */
export interface SimCustomer {
  Id: string;
  CustomerNumber: string;
  Name: string;
  IsPrivatePerson: boolean;
  IsActive: boolean;
  TermsOfPaymentId: string;
  TermsOfPayment: { Id: string; Name: string; NumberOfDays: number; TermsOfPaymentTypeId: number } | null;
  InvoiceAddress1: string | null;
  InvoiceAddress2: string | null;
  InvoicePostalCode: string;
  InvoiceCity: string;
  InvoiceCountryCode: string;
  EmailAddress: string | null;
  EmailAddressOrder: string | null;
  ContactPersonName: string | null;
  ContactPersonEmail: string | null;
  ContactPersonPhone: string | null;
  ContactPersonMobile: string | null;
  CorporateIdentityNumber: string | null;
  VatNumber: string | null;
  CurrencyCode: string;
  DeliveryCustomerName: string | null;
  DeliveryAddress1: string | null;
  DeliveryPostalCode: string | null;
  DeliveryCity: string | null;
  DeliveryCountryCode: string | null;
  Telephone: string | null;
  MobilePhone: string | null;
  WwwAddress: string | null;
  Note: string | null;
  ChangedUtc: string;
}

/** Contract §2.5 OrderRow. */
export interface SimOrderRow {
  Id: string;
  LineNumber: number;
  IsTextRow: boolean;
  IsWorkCost: boolean;
  EligibleForReverseChargeOnVat: boolean;
  ArticleId: string | null;
  ArticleNumber: string | null;
  Text: string | null;
  UnitId: string | null;
  UnitPrice: number;
  Quantity: number;
  DiscountPercentage: number;
  DeliveredQuantity: number;
  Amount: number;
}

/** Contract §2.5 Order; Status 1 Draft, 2 Ongoing, 3 Shipped, 4 Invoiced. */
export interface SimOrder {
  Id: string;
  Number: number;
  CustomerId: string;
  CustomerNumber: string;
  CustomerName: string;
  CustomerIsPrivatePerson: boolean;
  CurrencyCode: string;
  OrderDate: string;
  Status: number;
  EuThirdParty: boolean;
  RotReducedInvoicingType: number;
  ReverseChargeOnConstructionServices: boolean;
  Amount: number;
  VatAmount: number;
  RoundingsAmount: number;
  IncludesVat: boolean;
  InvoiceAddress1: string | null;
  InvoicePostalCode: string | null;
  InvoiceCity: string | null;
  InvoiceCountryCode: string | null;
  DeliveryCustomerName: string | null;
  DeliveryAddress1: string | null;
  DeliveryPostalCode: string | null;
  DeliveryCity: string | null;
  DeliveryCountryCode: string | null;
  YourReference: string | null;
  OurReference: string | null;
  BuyersOrderReference: string | null;
  DeliveryDate: string | null;
  ShippedDateTime: string | null;
  CreatedUtc: string;
  ModifiedUtc: string;
  Rows: SimOrderRow[];
}

/** The sales register of a company (articles, customers, orders and their reference lists). */
export interface SimSales {
  articles: SimArticle[];
  customers: SimCustomer[];
  orders: SimOrder[];
  termsOfPayments: SimTermsOfPayment[];
  units: SimUnit[];
  nextCustomerNumber: number;
  nextOrderNumber: number;
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
  /** Articles, customers, orders, terms of payment, units (issue 11); filled in by ensureSales() for older state files. */
  sales: SimSales;
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

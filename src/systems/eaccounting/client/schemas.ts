/** Zod schemas of the eAccounting API v2 payloads the client reads and sends (contract §2.1, §2.5). PascalCase as on the wire. */
import { z } from 'zod';

export const metaSchema = z.object({
  CurrentPage: z.number(),
  PageSize: z.number(),
  TotalNumberOfPages: z.number(),
  TotalNumberOfResults: z.number(),
  ServerTimeUtc: z.string(),
});

export const pageOf = <T extends z.ZodTypeAny>(item: T) => z.object({ Meta: metaSchema, Data: z.array(item) });

export const errorBodySchema = z.object({
  ErrorCode: z.number(),
  DeveloperErrorMessage: z.string().nullish(),
  ErrorId: z.string().nullish(),
  Errors: z.array(z.unknown()).nullish(),
});

/** Visma.net-style `{"message": "VismaId: … 'Ledger' cannot be empty."}` (seed 002, third error). */
export const messageBodySchema = z.object({ message: z.string() });

const day = z.string().transform((s) => s.slice(0, 10));

export const fiscalYearSchema = z.object({
  Id: z.string(),
  StartDate: day,
  EndDate: day,
  IsLockedForAccounting: z.boolean(),
  BookkeepingMethod: z.number().optional(),
});
export type FiscalYear = z.infer<typeof fiscalYearSchema>;

export const accountSchema = z.object({
  Number: z.string(),
  Name: z.string(),
  FiscalYearId: z.string(),
  IsActive: z.boolean(),
  IsBlockedForManualBooking: z.boolean().default(false),
});
export type Account = z.infer<typeof accountSchema>;

export const voucherRowSchema = z.object({
  AccountNumber: z.number(),
  AccountDescription: z.string().nullish(),
  DebitAmount: z.number().default(0),
  CreditAmount: z.number().default(0),
  TransactionText: z.string().nullish(),
});

export const voucherSchema = z.object({
  Id: z.string(),
  VoucherDate: day,
  VoucherText: z.string(),
  Rows: z.array(voucherRowSchema),
  NumberAndNumberSeries: z.string().nullish(),
});
export type Voucher = z.infer<typeof voucherSchema>;

/** What the client posts: amounts already 2-decimal euros, TransactionText ≤ 60 (§2.5). */
export const voucherInputSchema = z.object({
  VoucherDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  VoucherText: z.string().min(1).max(1000),
  Rows: z
    .array(
      z.object({
        AccountNumber: z.number().int().min(1),
        DebitAmount: z.number().min(0),
        CreditAmount: z.number().min(0),
        TransactionText: z.string().max(60).optional(),
      }),
    )
    .min(1),
});
export type VoucherInput = z.infer<typeof voucherInputSchema>;

export const companySettingsSchema = z.object({
  Name: z.string(),
  CompanyIdentifier: z.string().nullish(),
  AccountingLockedTo: z.string().nullish(),
  ActivatedModules: z.array(z.string()).nullish(),
});
export type CompanySettings = z.infer<typeof companySettingsSchema>;

// --- Sales (issue 11, contract §2.5): read by the eAccounting → Visma.net koppeling -------------

const s = z.string();
const ns = z.string().nullish();
const nn = z.number().nullish();

export const termsOfPaymentSchema = z.object({
  Id: s,
  Name: s,
  NameEnglish: ns,
  NumberOfDays: z.number(),
  /** 0 Normal, 1 CurrentMonth, 2 Cash, … */
  TermsOfPaymentTypeId: z.number(),
  AvailableForSales: z.boolean().nullish(),
  AvailableForPurchase: z.boolean().nullish(),
});
export type TermsOfPayment = z.infer<typeof termsOfPaymentSchema>;

export const unitSchema = z.object({ Id: s, Name: s, Code: ns, Abbreviation: ns, AbbreviationEnglish: ns });
export type Unit = z.infer<typeof unitSchema>;

/**
 * Article. ArticleLabels, Attributes and Images are INFERRED fields (simulator inferred.ts
 * ARTICLE_EXTRAS): absent on the real API they parse as empty, so every product counts as simple.
 */
export const articleSchema = z.object({
  Id: s,
  Number: s,
  Name: s,
  NameEnglish: ns,
  IsActive: z.boolean(),
  CodingId: ns,
  CodingName: ns,
  UnitId: ns,
  UnitName: ns,
  UnitAbbreviation: ns,
  NetPrice: nn,
  GrossPrice: nn,
  NetPriceWithDiscount: nn,
  PurchasePrice: nn,
  StockBalance: nn,
  StockBalanceAvailable: nn,
  StockBalanceReserved: nn,
  IsStock: z.boolean().nullish(),
  IsServiceArticle: z.boolean().nullish(),
  Barcodes: z.array(s).nullish().transform((v) => v ?? []),
  SendToWebshop: z.boolean().nullish(),
  ArticleLabels: z
    .array(z.object({ Id: ns, Name: s }))
    .nullish()
    .transform((v) => v ?? []),
  Attributes: z
    .array(z.object({ Name: s, Value: z.string().nullish() }))
    .nullish()
    .transform((v) => v ?? []),
  Images: z
    .array(z.object({ Url: s }))
    .nullish()
    .transform((v) => v ?? []),
  CreatedUtc: ns,
  ChangedUtc: ns,
});
export type Article = z.infer<typeof articleSchema>;

/** What makes an article more than a simple product (seed 004: not supported), e.g. ['attributes', 'images']. */
export function unsupportedArticleFeatures(a: Pick<Article, 'ArticleLabels' | 'Attributes' | 'Images'>): Array<'attributes' | 'categories' | 'images'> {
  const out: Array<'attributes' | 'categories' | 'images'> = [];
  if (a.Attributes.length) out.push('attributes');
  if (a.ArticleLabels.length) out.push('categories');
  if (a.Images.length) out.push('images');
  return out;
}

export const customerSchema = z.object({
  Id: s,
  CustomerNumber: s,
  Name: s,
  IsPrivatePerson: z.boolean(),
  IsActive: z.boolean(),
  TermsOfPaymentId: ns,
  TermsOfPayment: z.object({ Id: s, Name: s, NumberOfDays: nn, TermsOfPaymentTypeId: nn }).nullish(),
  InvoiceAddress1: ns,
  InvoiceAddress2: ns,
  InvoicePostalCode: ns,
  InvoiceCity: ns,
  InvoiceCountryCode: ns,
  EmailAddress: ns,
  EmailAddressOrder: ns,
  ContactPersonName: ns,
  ContactPersonEmail: ns,
  ContactPersonPhone: ns,
  ContactPersonMobile: ns,
  CorporateIdentityNumber: ns,
  VatNumber: ns,
  CurrencyCode: ns,
  DeliveryCustomerName: ns,
  DeliveryAddress1: ns,
  DeliveryPostalCode: ns,
  DeliveryCity: ns,
  DeliveryCountryCode: ns,
  Telephone: ns,
  MobilePhone: ns,
  WwwAddress: ns,
  Note: ns,
  ChangedUtc: ns,
});
export type Customer = z.infer<typeof customerSchema>;

export const orderRowSchema = z.object({
  Id: ns,
  LineNumber: z.number(),
  IsTextRow: z.boolean(),
  IsWorkCost: z.boolean().nullish(),
  ArticleId: ns,
  ArticleNumber: ns,
  Text: ns,
  UnitId: ns,
  UnitPrice: nn,
  Quantity: nn,
  DiscountPercentage: nn,
  DeliveredQuantity: nn,
  Amount: nn,
});
export type OrderRow = z.infer<typeof orderRowSchema>;

/** Order Status (contract §2.5). */
export const ORDER_STATUS = { Draft: 1, Ongoing: 2, Shipped: 3, Invoiced: 4 } as const;

export const orderSchema = z.object({
  Id: s,
  Number: z.number(),
  CustomerId: s,
  CustomerNumber: ns,
  CustomerName: ns,
  CustomerIsPrivatePerson: z.boolean().nullish(),
  CurrencyCode: s,
  OrderDate: day,
  Status: z.number().int(),
  Amount: nn,
  VatAmount: nn,
  RoundingsAmount: nn,
  IncludesVat: z.boolean().nullish(),
  InvoiceAddress1: ns,
  InvoicePostalCode: ns,
  InvoiceCity: ns,
  InvoiceCountryCode: ns,
  DeliveryCustomerName: ns,
  DeliveryAddress1: ns,
  DeliveryPostalCode: ns,
  DeliveryCity: ns,
  DeliveryCountryCode: ns,
  YourReference: ns,
  OurReference: ns,
  BuyersOrderReference: ns,
  DeliveryDate: ns,
  ShippedDateTime: ns,
  CreatedUtc: ns,
  ModifiedUtc: ns,
  Rows: z
    .array(orderRowSchema)
    .nullish()
    .transform((v) => v ?? []),
});
export type Order = z.infer<typeof orderSchema>;

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

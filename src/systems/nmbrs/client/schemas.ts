/**
 * zod schemas, one per external payload. Input is what the `soap` package makes of the response
 * (xs:int → number, xs:boolean → boolean, xs:dateTime kept as text by the client), or what
 * fast-xml-parser makes of the journal string. Output is the connector's own types.
 */
import { z } from 'zod';
import type {
  NmbrsAddress,
  NmbrsCompany,
  NmbrsDebtor,
  NmbrsEmployee,
  NmbrsWageTax,
  NmbrsEnvironment,
  NmbrsJournal,
  NmbrsJournalLine,
  NmbrsPeriod,
  NmbrsPeriodType,
  NmbrsWageCode,
  RunInfo,
} from './types';

/** ArrayOfX: absent/empty → [], one element → [x] (XML cannot tell a list of one from a single). */
function arrayOf<T extends z.ZodTypeAny>(item: T) {
  return z.preprocess((v) => (v === undefined || v === null || v === '' ? [] : Array.isArray(v) ? v : [v]), z.array(item));
}

/** `{ XResult: { Item: [...] } }` → Item[]; ASMX omits a null result and writes an empty one as ''. */
function wrappedList<T extends z.ZodTypeAny>(resultKey: string, itemKey: string, item: T) {
  return z.preprocess((r) => {
    if (r === null || typeof r !== 'object') return r; // not a response object: let the array check fail
    const wrapper = (r as Record<string, unknown>)[resultKey];
    return wrapper !== null && typeof wrapper === 'object' ? (wrapper as Record<string, unknown>)[itemKey] : undefined;
  }, arrayOf(item));
}

const int = z.union([z.number().int(), z.string().regex(/^-?\d+$/).transform(Number)]);
const bool = z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]);
const optString = z
  .union([z.string(), z.number(), z.null()])
  .optional()
  .transform((v) => (v === null || v === undefined || v === '' ? undefined : String(v)));

// ---- CompanyService.List_GetAll ----
const company = z
  .object({
    ID: int,
    Number: int,
    Name: optString,
    PhoneNumber: optString,
    Email: optString,
    LoonaangifteTijdvak: z.enum(['None', 'Month', 'Week4', 'Month6', 'Year']),
    KvkNr: optString,
  })
  .passthrough()
  .transform(
    (c): NmbrsCompany => ({
      id: c.ID,
      number: c.Number,
      name: c.Name ?? '',
      loonaangifteTijdvak: c.LoonaangifteTijdvak,
      ...(c.KvkNr && { kvkNr: c.KvkNr }),
      ...(c.Email && { email: c.Email }),
      ...(c.PhoneNumber && { phoneNumber: c.PhoneNumber }),
    }),
  );
export const listCompaniesResponse = wrappedList('List_GetAllResult', 'Company', company);

// ---- CompanyService.Company_GetCurrentPeriod: "yyyy-p-TYPE" ----
/** INFERRED (contract §8.6): the WSDL doc spells four-weekly `4W`, the enum list `W4`; accept both. */
const PERIOD_TYPES: Record<string, NmbrsPeriodType> = { M: 'M', W4: 'W4', '4W': 'W4', W1: 'W1', '1W': 'W1', W: 'W1' };
export const currentPeriodResponse = z
  .object({ Company_GetCurrentPeriodResult: z.string().regex(/^\d{4}-\d{1,2}-[A-Za-z0-9]+$/) })
  .passthrough()
  .transform((r, ctx): NmbrsPeriod => {
    const [year, period, rawType] = r.Company_GetCurrentPeriodResult.split('-');
    const type = PERIOD_TYPES[rawType.toUpperCase()];
    if (!type) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: `unknown period type ${rawType}` });
      return z.NEVER;
    }
    return { year: Number(year), period: Number(period), type };
  });

// ---- CompanyService.Run_GetList ----
const runInfo = z
  .object({
    ID: int,
    Number: int,
    Year: int,
    PeriodStart: int,
    PeriodEnd: int,
    Description: optString,
    RunAt: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/),
    IsLocked: bool,
  })
  .passthrough()
  .transform(
    (r): RunInfo => ({
      id: r.ID,
      number: r.Number,
      year: r.Year,
      periodStart: r.PeriodStart,
      periodEnd: r.PeriodEnd,
      ...(r.Description && { description: r.Description }),
      runAt: r.RunAt.slice(0, 19),
      isLocked: r.IsLocked,
    }),
  );
export const runListResponse = wrappedList('Run_GetListResult', 'RunInfo', runInfo);

// ---- CompanyService.Journals_GetByRunCompany_v2: a string holding the journal XML ----
export const journalStringResponse = z
  .object({ Journals_GetByRunCompany_v2Result: z.union([z.string(), z.null()]).optional() })
  .passthrough()
  .transform((r) => r.Journals_GetByRunCompany_v2Result ?? '');

// ---- CompanyService.WageModel_GetWageCodes ----
const wageCode = z
  .object({ Code: int, Description: optString })
  .passthrough()
  .transform((w): NmbrsWageCode => ({ code: w.Code, ...(w.Description && { description: w.Description }) }));
export const wageCodesResponse = wrappedList('WageModel_GetWageCodesResult', 'WageCode', wageCode);

// ---- DebtorService.Environment_Get ----
export const environmentResponse = z
  .object({ Environment_GetResult: z.object({ Domain: optString, SubDomain: z.string().min(1) }).passthrough() })
  .passthrough()
  .transform((r): NmbrsEnvironment => ({ domain: r.Environment_GetResult.Domain ?? '', subDomain: r.Environment_GetResult.SubDomain }));

// ---- The journal document inside the string (fast-xml-parser output, all text) ----
const amount = z
  .string()
  .trim()
  .regex(/^-?\d+([.,]\d+)?$/, 'value is not a decimal amount')
  .transform((v) => Math.round(Number(v.replace(',', '.')) * 100));
const dim = z
  .union([z.string(), z.number()])
  .optional()
  .transform((v) => (v === undefined || String(v).trim() === '' ? null : String(v).trim()));
/** INFERRED (contract §8.3): the documented format is YYYYMMDD; a .NET DateTime is accepted too. */
const journalDate = z
  .string()
  .trim()
  .regex(/^(\d{8}|\d{4}-\d{2}-\d{2}(T.*)?)$/, 'date is neither YYYYMMDD nor a DateTime')
  .transform((d) => (d.length === 8 ? `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}` : d.slice(0, 10)));

/** `<lines />` parses as '': treat it as an element without children (not as a type error). */
const emptyToObject = (v: unknown) => (v === '' ? {} : v);

const journalLine = z
  .object({
    dim1: z.union([z.string(), z.number()]).transform((v) => String(v).trim()).pipe(z.string().min(1, 'dim1 is empty')),
    dim2: dim,
    dim3: dim,
    value: amount,
    debitcredit: z
      .string()
      .trim()
      .toLowerCase()
      .pipe(z.enum(['debit', 'credit', 'd', 'c'])),
    description: z.string().optional().default(''),
  })
  .transform((l): NmbrsJournalLine => {
    let side: 'D' | 'C' = l.debitcredit.startsWith('d') ? 'D' : 'C';
    let cents = l.value;
    // INFERRED (contract §8.2): values are documented positive; a negative one means the other side.
    if (cents < 0) {
      cents = -cents;
      side = side === 'D' ? 'C' : 'D';
    }
    return { dim1: l.dim1, dim2: l.dim2, dim3: l.dim3, value: cents / 100, cents, debitCredit: side, description: l.description.trim() };
  });

const journalTransaction = z.object({
  header: z.object({ date: journalDate, period: optString, description: optString }).passthrough(),
  lines: z.preprocess(emptyToObject, z.object({ line: arrayOf(journalLine) })).transform((l) => l.line),
});

export const journalDocument = z
  .object({
    transactions: z
      .preprocess(emptyToObject, z.object({ transaction: arrayOf(journalTransaction) }).passthrough())
      .transform((t) => t.transaction),
  })
  .passthrough()
  .transform(
    (doc): NmbrsJournal => ({
      transactions: doc.transactions.map((t) => ({
        header: {
          date: t.header.date,
          ...(t.header.period && { period: t.header.period }),
          ...(t.header.description && { description: t.header.description }),
        },
        lines: t.lines,
      })),
    }),
  );

// ---- DebtorService.List_GetAll ----
const debtor = z
  .object({ Id: int, Number: int, Name: optString })
  .passthrough()
  .transform((d): NmbrsDebtor => ({ id: d.Id, number: d.Number, name: d.Name ?? '' }));
export const listDebtorsResponse = wrappedList('List_GetAllResult', 'Debtor', debtor);

// ---- CompanyService.List_GetByDebtor ----
export const companiesByDebtorResponse = wrappedList('List_GetByDebtorResult', 'Company', company);

// ---- CompanyService.WageTax_GetList ----
const dateTime = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/).transform((d) => d.slice(0, 19));
const wageTax = z
  .object({
    LoonaangifteID: int,
    SerialNumber: int,
    PaymentReference: optString,
    TotalGeneral: int,
    Period: int,
    Year: int,
    Status: optString,
    SentAt: dateTime,
    TijdvakStart: dateTime,
    TijdvakEnd: dateTime,
    CorrectionTijdvakStart: dateTime,
    CorrectionTijdvakEnd: dateTime,
  })
  .passthrough()
  .transform(
    (w): NmbrsWageTax => ({
      id: w.LoonaangifteID,
      serialNumber: w.SerialNumber,
      ...(w.PaymentReference && { paymentReference: w.PaymentReference }),
      totalGeneral: w.TotalGeneral,
      period: w.Period,
      year: w.Year,
      status: w.Status ?? '',
      sentAt: w.SentAt,
      tijdvakStart: w.TijdvakStart,
      tijdvakEnd: w.TijdvakEnd,
      correctionTijdvakStart: w.CorrectionTijdvakStart,
      correctionTijdvakEnd: w.CorrectionTijdvakEnd,
    }),
  );
export const wageTaxListResponse = wrappedList('WageTax_GetListResult', 'WageTax', wageTax);

/** A `string` result (XML text, already unescaped by the SOAP layer); absent → ''. */
export const stringResult = (op: string) =>
  z.preprocess((r) => (r !== null && typeof r === 'object' ? ((r as Record<string, unknown>)[`${op}Result`] ?? '') : r), z.string());

/** `{ OpResult: { PDF: base64 } }` → the PDF bytes; a result without PDF is an unexpected answer. */
export const pdfResult = (op: string) =>
  z.preprocess(
    (r) => (r !== null && typeof r === 'object' ? (r as Record<string, unknown>)[`${op}Result`] : r),
    z
      .object({ PDF: z.string().min(1, 'PDF is empty') })
      .passthrough()
      .transform((p) => Buffer.from(p.PDF, 'base64')),
  );

/** An `int` result (a new id). */
export const intResult = (op: string) => z.preprocess((r) => (r !== null && typeof r === 'object' ? (r as Record<string, unknown>)[`${op}Result`] : r), int);

// ---- EmployeeService.List_GetByCompany ----
const employee = z
  .object({ Id: int, Number: int, DisplayName: optString })
  .passthrough()
  .transform((e): NmbrsEmployee => ({ id: e.Id, number: e.Number, displayName: e.DisplayName ?? '' }));
export const employeesResponse = wrappedList('List_GetByCompanyResult', 'Employee', employee);

// ---- CompanyService.Address_GetCurrent ----
export const addressResponse = z
  .object({
    Address_GetCurrentResult: z
      .object({ Id: int, Street: optString, HouseNumber: optString, HouseNumberAddition: optString, PostalCode: optString, City: optString, CountryISOCode: optString })
      .passthrough()
      .nullable()
      .optional(),
  })
  .passthrough()
  .transform((r): NmbrsAddress | undefined => {
    const a = r.Address_GetCurrentResult;
    if (!a) return undefined;
    return { id: a.Id, street: a.Street, houseNumber: a.HouseNumber, houseNumberAddition: a.HouseNumberAddition, postalCode: a.PostalCode, city: a.City, countryISOCode: a.CountryISOCode };
  });

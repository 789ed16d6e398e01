/**
 * The sales register of a simulated eAccounting company (issue 11): terms of payment, units,
 * articles, customers and orders. Records are created and changed only through the control API
 * (as a user would in the eAccounting screens); the REST API reads them. Each write stamps
 * ChangedUtc / ModifiedUtc from the state clock unless the caller gives one (tests of `gt` filters
 * then need no waiting).
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { FIRST_CUSTOMER_NUMBER, FIRST_ORDER_NUMBER, ORDER_VAT_RATE } from './inferred';
import { SimError } from './state';
import type { SimArticle, SimCompany, SimCustomer, SimOrder, SimOrderRow, SimSales, SimTermsOfPayment, SimUnit } from './types';

export function emptySales(): SimSales {
  return { articles: [], customers: [], orders: [], termsOfPayments: [], units: [], nextCustomerNumber: FIRST_CUSTOMER_NUMBER, nextOrderNumber: FIRST_ORDER_NUMBER };
}

/** Companies from state files written before issue 11 have no sales register. */
export function ensureSales(c: SimCompany): SimSales {
  c.sales ??= emptySales();
  return c.sales;
}

/** INFERRED: the article account coding every simulated article gets ("Verkoop hoog tarief"). */
export const DEFAULT_CODING = { id: '0c2c6a4e-0000-4000-8000-00000000c0d1', name: 'Verkoop hoog tarief' } as const;

const opt = <T extends z.ZodTypeAny>(t: T) => t.nullish();
const str = (max: number) => z.string().max(max);
const money = z.number().min(0).max(10_000_000);
const stamp = z.string().datetime({ offset: true });

export const termsInput = z
  .object({
    Id: z.string().uuid().optional(),
    Name: str(50).min(1),
    NameEnglish: opt(str(50)),
    NumberOfDays: z.number().int().min(0).default(14),
    TermsOfPaymentTypeId: z.number().int().min(0).default(0),
    AvailableForSales: z.boolean().default(true),
    AvailableForPurchase: z.boolean().default(true),
  })
  .strict();

export const unitInput = z
  .object({ Id: z.string().uuid().optional(), Name: str(50).min(1), Code: str(10).min(1), Abbreviation: opt(str(10)), AbbreviationEnglish: opt(str(10)) })
  .strict();

export const articleInput = z
  .object({
    Id: z.string().uuid().optional(),
    Number: str(40).min(1),
    Name: str(50).min(1),
    NameEnglish: opt(str(50)),
    IsActive: z.boolean().optional(),
    /** A unit by id or by Code; default the company's first unit. */
    UnitId: z.string().uuid().optional(),
    UnitCode: z.string().optional(),
    NetPrice: money.optional(),
    GrossPrice: money.optional(),
    NetPriceWithDiscount: opt(money),
    PurchasePrice: opt(money),
    StockBalance: z.number().optional(),
    StockBalanceReserved: z.number().min(0).optional(),
    IsStock: z.boolean().optional(),
    IsServiceArticle: z.boolean().optional(),
    Barcodes: z.array(z.string()).optional(),
    SendToWebshop: z.boolean().optional(),
    ArticleLabels: z.array(z.object({ Id: z.string().optional(), Name: z.string().min(1) }).strict()).optional(),
    Attributes: z.array(z.object({ Name: z.string().min(1), Value: z.string() }).strict()).optional(),
    Images: z.array(z.object({ Url: z.string().url() }).strict()).optional(),
    ChangedUtc: stamp.optional(),
  })
  .strict();

export const customerInput = z
  .object({
    Id: z.string().uuid().optional(),
    CustomerNumber: str(16).min(1).optional(),
    Name: str(50).min(1),
    IsPrivatePerson: z.boolean().optional(),
    IsActive: z.boolean().optional(),
    /** Default: the company's first terms available for sales. */
    TermsOfPaymentId: z.string().uuid().optional(),
    InvoiceAddress1: opt(str(50)),
    InvoiceAddress2: opt(str(50)),
    InvoicePostalCode: str(10).optional(),
    InvoiceCity: str(50).optional(),
    InvoiceCountryCode: str(2).optional(),
    EmailAddress: opt(str(255)),
    EmailAddressOrder: opt(str(255)),
    ContactPersonName: opt(str(50)),
    ContactPersonEmail: opt(str(255)),
    ContactPersonPhone: opt(str(50)),
    ContactPersonMobile: opt(str(50)),
    CorporateIdentityNumber: opt(str(20)),
    VatNumber: opt(str(20)),
    CurrencyCode: str(3).optional(),
    DeliveryCustomerName: opt(str(50)),
    DeliveryAddress1: opt(str(50)),
    DeliveryPostalCode: opt(str(10)),
    DeliveryCity: opt(str(50)),
    DeliveryCountryCode: opt(str(2)),
    Telephone: opt(str(50)),
    MobilePhone: opt(str(50)),
    WwwAddress: opt(str(255)),
    Note: opt(str(4000)),
    ChangedUtc: stamp.optional(),
  })
  .strict();

const orderRowInput = z
  .object({
    /** An article by id or number; neither (with Text) makes a text row. */
    ArticleId: z.string().uuid().optional(),
    ArticleNumber: z.string().optional(),
    Text: opt(str(2000)),
    Quantity: z.number().default(1),
    /** Default: the article's NetPrice. */
    UnitPrice: z.number().optional(),
    DiscountPercentage: z.number().min(0).max(1).default(0),
    DeliveredQuantity: z.number().optional(),
    IsWorkCost: z.boolean().default(false),
  })
  .strict();

export const orderInput = z
  .object({
    Id: z.string().uuid().optional(),
    Number: z.number().int().min(1).optional(),
    /** The customer by id or number. */
    CustomerId: z.string().uuid().optional(),
    CustomerNumber: z.string().optional(),
    Status: z.number().int().min(1).max(4).default(1),
    OrderDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
    CurrencyCode: str(3).default('EUR'),
    IncludesVat: z.boolean().default(false),
    YourReference: opt(str(50)),
    OurReference: opt(str(50)),
    BuyersOrderReference: opt(str(35)),
    DeliveryDate: opt(z.string()),
    DeliveryCustomerName: opt(str(50)),
    DeliveryAddress1: opt(str(50)),
    DeliveryPostalCode: opt(str(10)),
    DeliveryCity: opt(str(50)),
    DeliveryCountryCode: opt(str(2)),
    Rows: z.array(orderRowInput).default([]),
    ModifiedUtc: stamp.optional(),
  })
  .strict();

/** A change by the control API: any field of the create body; `Status` alone moves an order on. */
export const articleChange = articleInput.partial();
export const customerChange = customerInput.partial();
export const orderChange = orderInput.partial().extend({ Status: z.number().int().min(1).max(4).optional(), Rows: z.array(orderRowInput).optional(), CurrencyCode: str(3).optional(), IncludesVat: z.boolean().optional() });
export const termsChange = termsInput.partial();
export const unitChange = unitInput.partial();

const nil = <T>(v: T | null | undefined): T | null => (v === undefined ? null : v);
/** Half up in cents; toPrecision drops the binary noise (1519.5 × 0.21 is 319.09499… in doubles). */
const round2 = (n: number) => Math.round(Number((n * 100).toPrecision(12))) / 100;
const notFound = (what: string, key: string) => new SimError(400, 3000, `ResourceNotFoundException - ${what} ${key} does not exist.`);

/** Sales rules over one company; `now` is the state clock. */
export class SalesRegister {
  constructor(
    private readonly c: SimCompany,
    private readonly now: () => number,
  ) {
    ensureSales(c);
  }

  private get s(): SimSales {
    return this.c.sales;
  }

  private at(given?: string): string {
    return given ? new Date(given).toISOString() : new Date(this.now()).toISOString();
  }

  upsertTerms(b: z.output<typeof termsInput>): SimTermsOfPayment {
    const t: SimTermsOfPayment = { Id: b.Id ?? randomUUID(), Name: b.Name, NameEnglish: nil(b.NameEnglish), NumberOfDays: b.NumberOfDays, TermsOfPaymentTypeId: b.TermsOfPaymentTypeId, AvailableForSales: b.AvailableForSales, AvailableForPurchase: b.AvailableForPurchase };
    this.s.termsOfPayments = [...this.s.termsOfPayments.filter((x) => x.Id !== t.Id), t];
    return t;
  }

  changeTerms(id: string, b: z.output<typeof termsChange>): SimTermsOfPayment {
    const t = this.s.termsOfPayments.find((x) => x.Id === id);
    if (!t) throw notFound('TermsOfPayment', id);
    Object.assign(t, defined({ ...b, Id: undefined }));
    return t;
  }

  upsertUnit(b: z.output<typeof unitInput>): SimUnit {
    const u: SimUnit = { Id: b.Id ?? randomUUID(), Name: b.Name, Code: b.Code, Abbreviation: b.Abbreviation ?? b.Code, AbbreviationEnglish: nil(b.AbbreviationEnglish) };
    this.s.units = [...this.s.units.filter((x) => x.Id !== u.Id), u];
    return u;
  }

  changeUnit(id: string, b: z.output<typeof unitChange>): SimUnit {
    const u = this.s.units.find((x) => x.Id === id);
    if (!u) throw notFound('Unit', id);
    Object.assign(u, defined({ ...b, Id: undefined }));
    return u;
  }

  private unit(id?: string, code?: string): SimUnit {
    const u = id ? this.s.units.find((x) => x.Id === id) : code ? this.s.units.find((x) => x.Code === code) : this.s.units[0];
    if (u) return u;
    if (id || code) throw notFound('Unit', id ?? code ?? '');
    return this.upsertUnit({ Name: 'Stuks', Code: 'st' });
  }

  /** Create, or replace the article with the same Number (the SKU is unique in eAccounting). */
  createArticle(b: z.output<typeof articleInput>): SimArticle {
    if (this.s.articles.some((a) => a.Number === b.Number && a.Id !== b.Id)) throw new SimError(400, 4000, `Conflict - an article with Number ${b.Number} already exists.`);
    const unit = this.unit(b.UnitId, b.UnitCode);
    const at = this.at(b.ChangedUtc);
    const stock = b.StockBalance ?? 0;
    const reserved = b.StockBalanceReserved ?? 0;
    const a: SimArticle = {
      Id: b.Id ?? randomUUID(),
      Number: b.Number,
      Name: b.Name,
      NameEnglish: nil(b.NameEnglish),
      IsActive: b.IsActive ?? true,
      CodingId: DEFAULT_CODING.id,
      CodingName: DEFAULT_CODING.name,
      UnitId: unit.Id,
      UnitName: unit.Name,
      UnitAbbreviation: unit.Abbreviation,
      NetPrice: b.NetPrice ?? (b.GrossPrice !== undefined ? round2(b.GrossPrice / (1 + ORDER_VAT_RATE)) : 0),
      GrossPrice: b.GrossPrice ?? round2((b.NetPrice ?? 0) * (1 + ORDER_VAT_RATE)),
      NetPriceWithDiscount: nil(b.NetPriceWithDiscount),
      PurchasePrice: nil(b.PurchasePrice),
      StockBalance: stock,
      StockBalanceAvailable: stock - reserved,
      StockBalanceReserved: reserved,
      IsStock: b.IsStock ?? stock !== 0,
      IsServiceArticle: b.IsServiceArticle ?? false,
      Barcodes: b.Barcodes ?? [],
      SendToWebshop: b.SendToWebshop ?? false,
      ArticleLabels: (b.ArticleLabels ?? []).map((l) => ({ Id: l.Id ?? randomUUID(), Name: l.Name })),
      Attributes: b.Attributes ?? [],
      Images: b.Images ?? [],
      CreatedUtc: this.s.articles.find((x) => x.Id === b.Id)?.CreatedUtc ?? at,
      ChangedUtc: at,
    };
    this.s.articles = [...this.s.articles.filter((x) => x.Id !== a.Id), a];
    return a;
  }

  changeArticle(id: string, b: z.output<typeof articleChange>): SimArticle {
    const old = this.s.articles.find((x) => x.Id === id);
    if (!old) throw notFound('Article', id);
    const merged = { ...old, ...defined(b), Id: old.Id };
    const { UnitName: _n, UnitAbbreviation: _a, CodingId: _c, CodingName: _cn, CreatedUtc: _cr, StockBalanceAvailable: _s, ChangedUtc: _ch, ...rest } = merged;
    return this.createArticle({ ...rest, UnitCode: b.UnitCode, UnitId: b.UnitCode ? undefined : merged.UnitId, ChangedUtc: b.ChangedUtc });
  }

  private terms(id?: string): SimTermsOfPayment {
    const t = id ? this.s.termsOfPayments.find((x) => x.Id === id) : this.s.termsOfPayments.find((x) => x.AvailableForSales);
    if (t) return t;
    if (id) throw notFound('TermsOfPayment', id);
    return this.upsertTerms({ Name: '14 dagen', NumberOfDays: 14, TermsOfPaymentTypeId: 0, AvailableForSales: true, AvailableForPurchase: true });
  }

  createCustomer(b: z.output<typeof customerInput>): SimCustomer {
    const old = b.Id ? this.s.customers.find((x) => x.Id === b.Id) : undefined;
    const number = b.CustomerNumber ?? old?.CustomerNumber ?? String(this.s.nextCustomerNumber++);
    if (this.s.customers.some((x) => x.CustomerNumber === number && x.Id !== b.Id)) throw new SimError(400, 4000, `Conflict - a customer with CustomerNumber ${number} already exists.`);
    const terms = this.terms(b.TermsOfPaymentId);
    const c: SimCustomer = {
      Id: b.Id ?? randomUUID(),
      CustomerNumber: number,
      Name: b.Name,
      IsPrivatePerson: b.IsPrivatePerson ?? false,
      IsActive: b.IsActive ?? true,
      TermsOfPaymentId: terms.Id,
      TermsOfPayment: { Id: terms.Id, Name: terms.Name, NumberOfDays: terms.NumberOfDays, TermsOfPaymentTypeId: terms.TermsOfPaymentTypeId },
      InvoiceAddress1: nil(b.InvoiceAddress1),
      InvoiceAddress2: nil(b.InvoiceAddress2),
      InvoicePostalCode: b.InvoicePostalCode ?? '1011 AA',
      InvoiceCity: b.InvoiceCity ?? 'Amsterdam',
      InvoiceCountryCode: b.InvoiceCountryCode ?? 'NL',
      EmailAddress: nil(b.EmailAddress),
      EmailAddressOrder: nil(b.EmailAddressOrder),
      ContactPersonName: nil(b.ContactPersonName),
      ContactPersonEmail: nil(b.ContactPersonEmail),
      ContactPersonPhone: nil(b.ContactPersonPhone),
      ContactPersonMobile: nil(b.ContactPersonMobile),
      CorporateIdentityNumber: nil(b.CorporateIdentityNumber),
      VatNumber: nil(b.VatNumber),
      CurrencyCode: b.CurrencyCode ?? 'EUR',
      DeliveryCustomerName: nil(b.DeliveryCustomerName),
      DeliveryAddress1: nil(b.DeliveryAddress1),
      DeliveryPostalCode: nil(b.DeliveryPostalCode),
      DeliveryCity: nil(b.DeliveryCity),
      DeliveryCountryCode: nil(b.DeliveryCountryCode),
      Telephone: nil(b.Telephone),
      MobilePhone: nil(b.MobilePhone),
      WwwAddress: nil(b.WwwAddress),
      Note: nil(b.Note),
      ChangedUtc: this.at(b.ChangedUtc),
    };
    this.s.customers = [...this.s.customers.filter((x) => x.Id !== c.Id), c];
    return c;
  }

  changeCustomer(id: string, b: z.output<typeof customerChange>): SimCustomer {
    const old = this.s.customers.find((x) => x.Id === id);
    if (!old) throw notFound('Customer', id);
    const { TermsOfPayment: _t, ChangedUtc: _c, ...rest } = { ...old, ...defined(b) };
    return this.createCustomer({ ...rest, Id: old.Id, ChangedUtc: b.ChangedUtc });
  }

  private customer(id?: string, number?: string): SimCustomer {
    const c = id ? this.s.customers.find((x) => x.Id === id) : number ? this.s.customers.find((x) => x.CustomerNumber === number) : undefined;
    if (!c) throw notFound('Customer', id ?? number ?? '(none given)');
    return c;
  }

  private rows(input: Array<z.output<typeof orderRowInput>>): SimOrderRow[] {
    return input.map((r, i) => {
      const article = r.ArticleId ? this.s.articles.find((a) => a.Id === r.ArticleId) : r.ArticleNumber ? this.s.articles.find((a) => a.Number === r.ArticleNumber) : undefined;
      if ((r.ArticleId || r.ArticleNumber) && !article) throw notFound('Article', r.ArticleId ?? r.ArticleNumber ?? '');
      const text = !article;
      const unitPrice = text ? 0 : (r.UnitPrice ?? article.NetPrice);
      const quantity = text ? 0 : r.Quantity;
      return {
        Id: randomUUID(),
        LineNumber: i,
        IsTextRow: text,
        IsWorkCost: r.IsWorkCost,
        EligibleForReverseChargeOnVat: false,
        ArticleId: article?.Id ?? null,
        ArticleNumber: article?.Number ?? null,
        Text: r.Text ?? article?.Name ?? null,
        UnitId: article?.UnitId ?? null,
        UnitPrice: unitPrice,
        Quantity: quantity,
        DiscountPercentage: r.DiscountPercentage,
        DeliveredQuantity: r.DeliveredQuantity ?? 0,
        Amount: round2(unitPrice * quantity * (1 - r.DiscountPercentage)),
      };
    });
  }

  createOrder(b: z.output<typeof orderInput>): SimOrder {
    const old = b.Id ? this.s.orders.find((x) => x.Id === b.Id) : undefined;
    const customer = this.customer(b.CustomerId, b.CustomerNumber);
    const rows = this.rows(b.Rows);
    const net = round2(rows.reduce((s, r) => s + r.Amount, 0));
    const at = this.at(b.ModifiedUtc);
    const number = b.Number ?? old?.Number ?? this.s.nextOrderNumber++;
    if (this.s.orders.some((x) => x.Number === number && x.Id !== b.Id)) throw new SimError(400, 4000, `Conflict - an order with Number ${number} already exists.`);
    const o: SimOrder = {
      Id: b.Id ?? randomUUID(),
      Number: number,
      CustomerId: customer.Id,
      CustomerNumber: customer.CustomerNumber,
      CustomerName: customer.Name,
      CustomerIsPrivatePerson: customer.IsPrivatePerson,
      CurrencyCode: b.CurrencyCode,
      OrderDate: b.OrderDate ?? at.slice(0, 10),
      Status: b.Status,
      EuThirdParty: false,
      RotReducedInvoicingType: 0,
      ReverseChargeOnConstructionServices: false,
      Amount: net,
      VatAmount: round2(net * ORDER_VAT_RATE),
      RoundingsAmount: 0,
      IncludesVat: b.IncludesVat,
      InvoiceAddress1: customer.InvoiceAddress1,
      InvoicePostalCode: customer.InvoicePostalCode,
      InvoiceCity: customer.InvoiceCity,
      InvoiceCountryCode: customer.InvoiceCountryCode,
      DeliveryCustomerName: nil(b.DeliveryCustomerName),
      DeliveryAddress1: nil(b.DeliveryAddress1),
      DeliveryPostalCode: nil(b.DeliveryPostalCode),
      DeliveryCity: nil(b.DeliveryCity),
      DeliveryCountryCode: nil(b.DeliveryCountryCode),
      YourReference: nil(b.YourReference),
      OurReference: nil(b.OurReference),
      BuyersOrderReference: nil(b.BuyersOrderReference),
      DeliveryDate: nil(b.DeliveryDate),
      ShippedDateTime: b.Status >= 3 ? (old?.ShippedDateTime ?? at) : null,
      CreatedUtc: old?.CreatedUtc ?? at,
      ModifiedUtc: at,
      Rows: rows,
    };
    this.s.orders = [...this.s.orders.filter((x) => x.Id !== o.Id), o];
    return o;
  }

  /** Any change, e.g. `{ Status: 3 }` when the order ships; rows are kept unless given. */
  changeOrder(id: string, b: z.output<typeof orderChange>): SimOrder {
    const old = this.s.orders.find((x) => x.Id === id);
    if (!old) throw notFound('Order', id);
    const rows = b.Rows ?? old.Rows.map((r) => ({ ArticleId: r.ArticleId ?? undefined, Text: r.Text, Quantity: r.Quantity, UnitPrice: r.IsTextRow ? undefined : r.UnitPrice, DiscountPercentage: r.DiscountPercentage, DeliveredQuantity: r.DeliveredQuantity, IsWorkCost: r.IsWorkCost }));
    return this.createOrder({
      ...old,
      ...defined(b),
      Id: old.Id,
      CustomerId: b.CustomerNumber ? undefined : (b.CustomerId ?? old.CustomerId),
      CustomerNumber: b.CustomerNumber,
      Rows: rows,
      ModifiedUtc: b.ModifiedUtc,
    });
  }
}

function defined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

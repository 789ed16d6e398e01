/**
 * Demo data of the Visma eAccounting simulator (npm start and the tests): one OAuth2 client, one
 * Visma user with three companies, a Dutch chart of accounts matching the Nmbrs demo journals.
 * The password and client secret are local demo values, valid only against this simulator.
 */
import { emptySales, SalesRegister } from './sales';
import type { SimAccount, SimCompany, SimData } from './types';

export const DEMO_CLIENT_ID = 'koppelwerk';
export const DEMO_CLIENT_SECRET = 'demo-eaccounting-client-secret';
export const DEMO_EMAIL = 'demo@koppelwerk.nl';
export const DEMO_PASSWORD = 'demo-visma-wachtwoord';
export const DEMO_YEAR = 2026;

/** Company ids are GUIDs in eAccounting. */
export const DEMO_COMPANIES = {
  /** API module active, fiscal year 2026: the happy path. */
  ebBedrijf: '6f1f4a3e-0000-4000-8000-000000001001',
  /** API module active, no fiscal year 2026 yet: "Resource not found: fiscalYearId". */
  bakkerij: '6f1f4a3e-0000-4000-8000-000000001002',
  /** No API module: 403/4002 "No access to module: api_standard". */
  zonderApi: '6f1f4a3e-0000-4000-8000-000000001003',
  /** Issue 11: a web shop with the sales module (articles, customers, orders) for eAccounting → Visma.net. */
  webwinkel: '6f1f4a3e-0000-4000-8000-000000001004',
} as const;

export const DEMO_CHART: Array<Omit<SimAccount, 'FiscalYearId'>> = [
  { Number: '1640', Name: 'Af te dragen loonheffing', IsActive: true, IsBlockedForManualBooking: false },
  { Number: '1650', Name: 'Af te dragen pensioenpremies', IsActive: true, IsBlockedForManualBooking: false },
  { Number: '1660', Name: 'Netto lonen', IsActive: true, IsBlockedForManualBooking: false },
  { Number: '1300', Name: 'Debiteuren', IsActive: true, IsBlockedForManualBooking: true },
  { Number: '4000', Name: 'Lonen en salarissen', IsActive: true, IsBlockedForManualBooking: false },
  { Number: '4100', Name: 'Sociale lasten', IsActive: true, IsBlockedForManualBooking: false },
  { Number: '4105', Name: 'Reiskostenvergoeding', IsActive: true, IsBlockedForManualBooking: false },
  { Number: '4110', Name: 'Pensioenlasten', IsActive: true, IsBlockedForManualBooking: false },
  { Number: '8000', Name: 'Omzet', IsActive: true, IsBlockedForManualBooking: false },
];

export function demoFiscalYearId(companyId: string, year: number): string {
  return `${companyId.slice(0, 24)}${String(year).padStart(12, '0')}`;
}

function company(id: string, name: string, modules: string[], years: number[]): SimCompany {
  const fiscalYears = years.map((y) => ({ Id: demoFiscalYearId(id, y), StartDate: `${y}-01-01`, EndDate: `${y}-12-31`, IsLockedForAccounting: false, BookkeepingMethod: 0 }));
  return {
    id,
    name,
    modules,
    accountingLockedTo: null,
    generalLedgerIncomplete: false,
    fiscalYears,
    accounts: fiscalYears.flatMap((fy) => DEMO_CHART.map((a) => ({ ...a, FiscalYearId: fy.Id }))),
    vouchers: [],
    voucherCounters: {},
    sales: emptySales(),
  };
}

/** Fixed ids so tests and the demo can name them. */
export const DEMO_SALES = {
  terms: { dagen14: '7a000000-0000-4000-8000-000000000014', dagen30: '7a000000-0000-4000-8000-000000000030', contant: '7a000000-0000-4000-8000-0000000000c0' },
  units: { stuks: '7b000000-0000-4000-8000-000000000001', uur: '7b000000-0000-4000-8000-000000000002' },
  articles: { fiets: '7c000000-0000-4000-8000-000000000001', bel: '7c000000-0000-4000-8000-000000000002', slot: '7c000000-0000-4000-8000-000000000003', onderhoud: '7c000000-0000-4000-8000-000000000004' },
  customers: { bedrijf: '7d000000-0000-4000-8000-000000000001', particulier: '7d000000-0000-4000-8000-000000000002' },
  orders: { concept: '7e000000-0000-4000-8000-000000000001', lopend: '7e000000-0000-4000-8000-000000000002', verzonden: '7e000000-0000-4000-8000-000000000003', gefactureerd: '7e000000-0000-4000-8000-000000000004' },
} as const;

/** Demo sales data, stamped at a fixed time so `ChangedUtc gt …` filters are predictable. */
function seedSales(c: SimCompany): void {
  const at = '2026-01-05T09:00:00.000Z';
  const r = new SalesRegister(c, () => Date.parse(at));
  const S = DEMO_SALES;
  r.upsertTerms({ Id: S.terms.dagen14, Name: '14 dagen', NameEnglish: '14 days', NumberOfDays: 14, TermsOfPaymentTypeId: 0, AvailableForSales: true, AvailableForPurchase: true });
  r.upsertTerms({ Id: S.terms.dagen30, Name: '30 dagen', NameEnglish: '30 days', NumberOfDays: 30, TermsOfPaymentTypeId: 0, AvailableForSales: true, AvailableForPurchase: true });
  r.upsertTerms({ Id: S.terms.contant, Name: 'Contant', NameEnglish: 'Cash', NumberOfDays: 0, TermsOfPaymentTypeId: 2, AvailableForSales: true, AvailableForPurchase: false });
  r.upsertUnit({ Id: S.units.stuks, Name: 'Stuks', Code: 'st', Abbreviation: 'st', AbbreviationEnglish: 'pcs' });
  r.upsertUnit({ Id: S.units.uur, Name: 'Uur', Code: 'u', Abbreviation: 'u', AbbreviationEnglish: 'h' });
  r.createArticle({ Id: S.articles.fiets, Number: 'FIETS-001', Name: 'Stadsfiets Classic 28"', NameEnglish: 'City bike Classic 28"', UnitId: S.units.stuks, NetPrice: 499, PurchasePrice: 310, StockBalance: 12, IsStock: true, Barcodes: ['8712345000019'] });
  r.createArticle({ Id: S.articles.bel, Number: 'BEL-002', Name: 'Fietsbel chroom', UnitId: S.units.stuks, NetPrice: 7.5, StockBalance: 140, Barcodes: ['8712345000026'] });
  // Not a simple product: the koppeling must say attributes, labels and images are not supported.
  r.createArticle({
    Id: S.articles.slot,
    Number: 'SLOT-003',
    Name: 'Kettingslot ART-2',
    UnitId: S.units.stuks,
    NetPrice: 39.95,
    StockBalance: 25,
    Attributes: [{ Name: 'Kleur', Value: 'Zwart' }, { Name: 'Lengte', Value: '110 cm' }],
    ArticleLabels: [{ Id: '7f000000-0000-4000-8000-000000000001', Name: 'Sloten' }],
    Images: [{ Url: 'https://example.org/img/slot-003.jpg' }],
  });
  r.createArticle({ Id: S.articles.onderhoud, Number: 'ONDERHOUD', Name: 'Onderhoudsbeurt', UnitId: S.units.uur, NetPrice: 55, IsServiceArticle: true });
  r.createCustomer({
    Id: S.customers.bedrijf,
    Name: 'Fietskoerier Utrecht B.V.',
    IsPrivatePerson: false,
    TermsOfPaymentId: S.terms.dagen30,
    InvoiceAddress1: 'Oudegracht 12',
    InvoicePostalCode: '3511 AB',
    InvoiceCity: 'Utrecht',
    EmailAddress: 'inkoop@fietskoerier-utrecht.nl',
    ContactPersonName: 'Sanne de Vries',
    ContactPersonEmail: 'sanne@fietskoerier-utrecht.nl',
    ContactPersonPhone: '030-1234567',
    CorporateIdentityNumber: '12345678',
    VatNumber: 'NL123456789B01',
  });
  r.createCustomer({ Id: S.customers.particulier, Name: 'Jan Jansen', IsPrivatePerson: true, TermsOfPaymentId: S.terms.contant, InvoiceAddress1: 'Dorpsstraat 1', InvoicePostalCode: '1234 AB', InvoiceCity: 'Ergenshuizen', EmailAddress: 'jan.jansen@example.nl', MobilePhone: '06-12345678' });
  const order = (Id: string, Status: number, CustomerId: string, Rows: Array<{ ArticleNumber?: string; Text?: string; Quantity?: number }>, YourReference?: string) =>
    r.createOrder({ Id, Status, CustomerId, OrderDate: '2026-01-05', CurrencyCode: 'EUR', IncludesVat: false, YourReference, Rows: Rows.map((x) => ({ Quantity: 1, DiscountPercentage: 0, IsWorkCost: false, ...x })) });
  order(S.orders.concept, 1, S.customers.particulier, [{ ArticleNumber: 'BEL-002', Quantity: 2 }]);
  order(S.orders.lopend, 2, S.customers.bedrijf, [{ ArticleNumber: 'FIETS-001', Quantity: 3 }, { ArticleNumber: 'BEL-002', Quantity: 3 }, { Text: 'Levering op de zaak' }], 'PO-2026-001');
  order(S.orders.verzonden, 3, S.customers.particulier, [{ ArticleNumber: 'FIETS-001' }, { ArticleNumber: 'ONDERHOUD', Quantity: 1.5 }]);
  order(S.orders.gefactureerd, 4, S.customers.bedrijf, [{ ArticleNumber: 'SLOT-003', Quantity: 5 }], 'PO-2025-117');
}

function webwinkel(): SimCompany {
  const c = company(DEMO_COMPANIES.webwinkel, 'Fietsenwinkel De Spaak', ['api_standard', 'sales_standard'], [DEMO_YEAR]);
  seedSales(c);
  return c;
}

export function demoData(): SimData {
  return {
    clients: [{ clientId: DEMO_CLIENT_ID, clientSecret: DEMO_CLIENT_SECRET, redirectUris: ['http://localhost/oauth/callback', 'http://127.0.0.1/oauth/callback'] }],
    users: [{ email: DEMO_EMAIL, password: DEMO_PASSWORD, companies: Object.values(DEMO_COMPANIES), defaultCompanyId: null, passwordVersion: 1 }],
    companies: [
      company(DEMO_COMPANIES.ebBedrijf, 'EB Bedrijf B.V.', ['api_standard'], [DEMO_YEAR]),
      company(DEMO_COMPANIES.bakkerij, 'Bakkerij De Korst', ['api_standard'], []),
      company(DEMO_COMPANIES.zonderApi, 'Oude Administratie', [], [DEMO_YEAR]),
      webwinkel(),
    ],
    codes: [],
    accessTokens: [],
    refreshTokens: [],
    sessions: [],
  };
}

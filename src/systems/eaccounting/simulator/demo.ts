/**
 * Demo data of the Visma eAccounting simulator (npm start and the tests): one OAuth2 client, one
 * Visma user with three companies, a Dutch chart of accounts matching the Nmbrs demo journals.
 * The password and client secret are local demo values, valid only against this simulator.
 */
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
  };
}

export function demoData(): SimData {
  return {
    clients: [{ clientId: DEMO_CLIENT_ID, clientSecret: DEMO_CLIENT_SECRET, redirectUris: ['http://localhost/oauth/callback', 'http://127.0.0.1/oauth/callback'] }],
    users: [{ email: DEMO_EMAIL, password: DEMO_PASSWORD, companies: Object.values(DEMO_COMPANIES), defaultCompanyId: null, passwordVersion: 1 }],
    companies: [
      company(DEMO_COMPANIES.ebBedrijf, 'EB Bedrijf B.V.', ['api_standard'], [DEMO_YEAR]),
      company(DEMO_COMPANIES.bakkerij, 'Bakkerij De Korst', ['api_standard'], []),
      company(DEMO_COMPANIES.zonderApi, 'Oude Administratie', [], [DEMO_YEAR]),
    ],
    codes: [],
    accessTokens: [],
    refreshTokens: [],
    sessions: [],
  };
}

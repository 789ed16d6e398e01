/**
 * Data model of the Nmbrs simulator: Environment (domain) → Debtor → Company → Run → Journal.
 * Amounts are integer cents so journals balance exactly; the wire format adds the decimal point.
 */

export type PeriodType = 'M' | 'W4' | 'W1';
export type LoonaangifteTijdvak = 'None' | 'Month' | 'Week4' | 'Month6' | 'Year';

export interface Debtor {
  id: number;
  number: number;
  name: string;
  /** Environment subdomain (`acme` for acme.nmbrs.nl); logins of this environment use it as Domain. */
  domain: string;
  /** false → every call of its users answers 1004 (no valid subscription). */
  subscribed: boolean;
}

export interface WageCode {
  code: number;
  description: string;
}

export interface Company {
  id: number;
  debtorId: number;
  number: number;
  name: string;
  periodType: PeriodType;
  loonaangifteTijdvak: LoonaangifteTijdvak;
  kvkNr?: string;
  email?: string;
  phoneNumber?: string;
  currentYear: number;
  currentPeriod: number;
  wageCodes: WageCode[];
}

export interface JournalLine {
  dim1: string;
  dim2?: string;
  dim3?: string;
  /** Positive amount in cents. */
  cents: number;
  debitCredit: 'debit' | 'credit';
  description: string;
}

export interface JournalTransaction {
  /** Posting date, YYYYMMDD. */
  date: string;
  /** `P/YYYY`. */
  period: string;
  lines: JournalLine[];
}

export interface Run {
  id: number;
  companyId: number;
  number: number;
  year: number;
  periodStart: number;
  periodEnd: number;
  description?: string;
  /** `YYYY-MM-DDTHH:mm:ss`, no zone (as Nmbrs sends it). */
  runAt: string;
  isLocked: boolean;
  journal: JournalTransaction[];
  /** How often the journal was recalculated ("journaalposten herberekenen"). */
  recalculations: number;
}

export interface NmbrsUser {
  username: string;
  token: string;
  domain: string;
  /** Debtor-level login: sees only this debtor. Omitted: master login, sees every debtor of its domain. */
  debtorId?: number;
  /** Tag filter of the login: when set, only these companies (others answer 1003). */
  companyIds?: number[];
  /** Calls switched to Inactive in the user's API template (everything else is Active). */
  inactiveCalls?: string[];
}

/** An employee of a company (EmployeeService.List_GetByCompany; payslips and SEPA transactions per run). */
export interface Employee {
  id: number;
  companyId: number;
  number: number;
  displayName: string;
  /** EmployeeType id (contract §8.11): 1 = active employees in the simulator's EmployeeType list. */
  employeeType: number;
  iban: string;
  /** Net wage per period in cents, before the run's recalculations. */
  netCents: number;
}

/** A wage-tax declaration (loonaangifte, WageTax_GetList). Status is free text (§8.4). */
export interface WageTaxDeclaration {
  id: number;
  companyId: number;
  serialNumber: number;
  year: number;
  period: number;
  status: string;
  totalGeneral: number;
  paymentReference?: string;
  /** `YYYY-MM-DDTHH:mm:ss`, `0001-01-01T00:00:00` before it is sent. */
  sentAt: string;
  tijdvakStart: string;
  tijdvakEnd: string;
  correctionTijdvakStart: string;
  correctionTijdvakEnd: string;
  /** How often Nmbrs recomputed it (changes the XML). */
  version: number;
}

/** A company address (Address_Insert / Address_Update: an update deletes and inserts, a new Id). */
export interface CompanyAddress {
  id: number;
  companyId: number;
  street?: string;
  houseNumber?: string;
  houseNumberAddition?: string;
  postalCode?: string;
  city?: string;
  countryISOCode?: string;
}

/** What the Nmbrs connector returns: camelCase, typed, independent of the SOAP shapes. */

export interface NmbrsCredentials {
  /** Login e-mail address of the API user. */
  username: string;
  /** API token (Gebruiker Profiel > API-token). Never logged, never in error messages. */
  token: string;
  /** Environment subdomain: `acme` for acme.nmbrs.nl. May be '' (v3 accepts an empty domain). */
  domain: string;
}

export type LoonaangifteTijdvak = 'None' | 'Month' | 'Week4' | 'Month6' | 'Year';

export interface NmbrsCompany {
  id: number;
  number: number;
  name: string;
  loonaangifteTijdvak: LoonaangifteTijdvak;
  kvkNr?: string;
  email?: string;
  phoneNumber?: string;
}

/** M = month (12/yr), W4 = four weeks (13/yr), W1 = week (52/53/yr). */
export type NmbrsPeriodType = 'M' | 'W4' | 'W1';

export interface NmbrsPeriod {
  year: number;
  period: number;
  type: NmbrsPeriodType;
}

export interface RunInfo {
  /** The RunId for journal and document calls. */
  id: number;
  number: number;
  year: number;
  periodStart: number;
  periodEnd: number;
  description?: string;
  /** As Nmbrs sends it: `YYYY-MM-DDTHH:mm:ss`, local Dutch time, no zone. */
  runAt: string;
  isLocked: boolean;
}

export interface NmbrsJournalLine {
  /** Grootboekrekening (general-ledger account) in the company's Nmbrs GL scheme. */
  dim1: string;
  /** Cost center / department / employee number, depending on the journal call; null when unused. */
  dim2: string | null;
  /** Cost unit; null when unused. */
  dim3: string | null;
  /** Positive amount in euros. */
  value: number;
  /** The same amount in integer cents, for exact sums. */
  cents: number;
  debitCredit: 'D' | 'C';
  description: string;
}

export interface NmbrsJournalTransaction {
  header: {
    /** Posting date, `YYYY-MM-DD`. */
    date: string;
    /** `P/YYYY` as Nmbrs sends it, when present. */
    period?: string;
    /** Only if Nmbrs sends one (the documented header has none). */
    description?: string;
  };
  lines: NmbrsJournalLine[];
}

export interface NmbrsJournal {
  transactions: NmbrsJournalTransaction[];
}

export interface NmbrsWageCode {
  code: number;
  description?: string;
}

export interface NmbrsEnvironment {
  domain: string;
  /** Put this into `credentials.domain`. */
  subDomain: string;
}

export interface NmbrsDebtor {
  id: number;
  number: number;
  name: string;
}

/** A loonaangifte (WageTax_GetList). `status` is Nmbrs' free text (e.g. `locked`). */
export interface NmbrsWageTax {
  id: number;
  serialNumber: number;
  paymentReference?: string;
  totalGeneral: number;
  period: number;
  year: number;
  status: string;
  sentAt: string;
  tijdvakStart: string;
  tijdvakEnd: string;
  /** Set (not 0001-01-01) when the declaration carries a correction of an earlier tijdvak. */
  correctionTijdvakStart: string;
  correctionTijdvakEnd: string;
}

export interface NmbrsEmployee {
  id: number;
  number: number;
  displayName: string;
}

export interface NmbrsAddress {
  id?: number;
  street?: string;
  houseNumber?: string;
  houseNumberAddition?: string;
  postalCode?: string;
  city?: string;
  countryISOCode?: string;
}

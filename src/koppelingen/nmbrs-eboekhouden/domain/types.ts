/**
 * The records this koppeling's pure logic reads and produces, in its own types, copied from the
 * contracts as the clients expose them: a Nmbrs journal (/work/shared/contracts/nmbrs.md, journal
 * XML) and an e-Boekhouden memoriaal (contract eboekhouden-werkbonapp.md A5). Deliberately not
 * imported from the systems' client code: the domain stays free of connector code, and the
 * activities hand records across as they are — TypeScript checks at that edge that the two agree.
 */

/** One journal line as the Nmbrs client reads it. */
export interface JournalLine {
  /** Grootboekrekening (general-ledger account) in the company's Nmbrs GL scheme. */
  dim1: string;
  dim2: string | null;
  dim3: string | null;
  /** Positive amount in euros. */
  value: number;
  /** The same amount in integer cents, for exact sums. */
  cents: number;
  debitCredit: 'D' | 'C';
  description: string;
}

export interface JournalTransaction {
  header: {
    /** Posting date, `YYYY-MM-DD`. */
    date: string;
    /** `P/YYYY` as Nmbrs sends it, when present. */
    period?: string;
    description?: string;
  };
  lines: JournalLine[];
}

/** A run's loonjournaal (Journals_GetByRunCompany_v2). */
export interface Journal {
  transactions: JournalTransaction[];
}

/** An e-Boekhouden Memoriaal as the koppeling books it (AddMutatie). */
export interface MemoriaalInput {
  soort: 'Memoriaal';
  /** YYYY-MM-DD */
  datum: string;
  boekstuk: string;
  factuurnummer: string;
  omschrijving: string;
  inExBtw: 'EX';
  regels: Array<{
    tegenrekeningCode: string;
    /** + debet, − credit. */
    bedragInvoer: number;
    bedragExclBtw: number;
    bedragBtw: number;
    bedragInclBtw: number;
    btwCode: 'GEEN';
    btwPercentage: 0;
  }>;
}

/** Where a ledger entry stands (the ledger's statuses, as the plan reads them). */
export type EntryStatus = 'pending' | 'posted' | 'failed' | 'skipped';

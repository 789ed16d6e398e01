/**
 * INFERRED — every rule of the Nmbrs simulator that the public sources do not settle, in one
 * place, so each can be checked against the real service (`?WSDL` and a sandbox environment) and
 * corrected here. Each entry cites the section of shared/contracts/nmbrs.md it stems from; the
 * simulator code reads these constants and functions instead of deciding itself. The README lists
 * them ("What the simulators guess (INFERRED)").
 *
 * Not here, because the contract confirms them: error codes and titles (§2 table), the header
 * names, namespaces and SOAPActions (§1), journal element names (§3.2), that Journals_GetByRunCompany
 * uses the company's active year (§3.2). The committed WSDLs (src/systems/nmbrs/wsdl/) carry their
 * own INFERRED note: v3 bodies are taken to equal the v2.1 dump (§3, open question 1).
 */
import type { JournalTransaction, PeriodType } from './types';

// ---------------------------------------------------------------- faults (§2)

/**
 * INFERRED (§2): a thrown Nmbrs error reaches the client as ASMX wraps exceptions: HTTP 500,
 * faultcode soap:Server (1.2: soap:Receiver), empty detail, and this faultstring. The `---> NNNN:`
 * part is confirmed (clients parse it); the prefix is the standard ASMX text.
 */
export function faultString(code: number, title: string): string {
  return `Server was unable to process request. ---> ${code}: ${title}`;
}

// ---------------------------------------------------------------- authentication (§1, §7)

/**
 * INFERRED (§7 checklist; the order is not documented): after the login (1001), the checks that run
 * before an operation, in this order — subscription (1004), call Active in the user's template
 * (1002). Company scope (2004, 1003 for tag filters) follows inside the operation, once its
 * CompanyId is read.
 */
export const CHECKS_AFTER_LOGIN: readonly ('subscription' | 'callRights')[] = ['subscription', 'callRights'];

/**
 * INFERRED (§1): DebtorService.Environment_Get is declared with the v2.1 AuthHeader; the simulator
 * also accepts the v3 AuthHeaderWithDomain there.
 */
export const ENVIRONMENT_GET_ACCEPTS_DOMAIN_HEADER = true;

/** INFERRED (§1): Environment_Get's Domain is the environment host, SubDomain what clients put in AuthHeaderWithDomain. */
export function environmentOf(subDomain: string): { Domain: string; SubDomain: string } {
  return { Domain: `${subDomain}.nmbrs.nl`, SubDomain: subDomain };
}

// ---------------------------------------------------------------- periods (§3.1, §4, §8.6)

/**
 * INFERRED (§8.6: the WSDL doc spells `2010-4-4W`, the enumerations `W4`): Company_GetCurrentPeriod
 * answers `yyyy-p-TYPE` with the enumeration spelling M / W4 / W1, period not zero-padded.
 */
export function currentPeriodString(year: number, period: number, periodType: PeriodType): string {
  return `${year}-${period}-${periodType}`;
}

// ---------------------------------------------------------------- journals (§3.2, §8.2, §8.3, §8.7)

/**
 * INFERRED (§8.3: S-XML says DateTime, ODOO parses %Y%m%d): a transaction's header/date is the last
 * day of its period as YYYYMMDD. 4-weekly and weekly periods are counted from 1 January (simplified).
 */
export function journalDate(year: number, period: number, periodType: PeriodType = 'M'): string {
  const d =
    periodType === 'M'
      ? new Date(Date.UTC(year, period, 0))
      : new Date(Date.UTC(year, 0, period * (periodType === 'W4' ? 28 : 7)));
  return `${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, '0')}${String(d.getUTCDate()).padStart(2, '0')}`;
}

/**
 * INFERRED (§8.2: the number of <transaction> per run is not documented): a run covering several
 * periods has one transaction per period. Set to false to answer one transaction per run (lines of
 * all periods, dated by the last one).
 */
export const ONE_TRANSACTION_PER_PERIOD = true;

/** The transactions a journal call answers for a run, per ONE_TRANSACTION_PER_PERIOD. */
export function journalTransactions(perPeriod: JournalTransaction[]): JournalTransaction[] {
  if (ONE_TRANSACTION_PER_PERIOD || perPeriod.length <= 1) return perPeriod;
  const last = perPeriod[perPeriod.length - 1];
  return [{ date: last.date, period: last.period, lines: perPeriod.flatMap((t) => t.lines) }];
}

/**
 * INFERRED (§8.2): the journal XML has no XML declaration, writes unused dimensions as empty
 * `<dim2 />` / `<dim3 />` elements, values with a `.` and 2 decimals, and never a negative value:
 * a negative amount is written positive on the other side (debit ↔ credit).
 */
export const JOURNAL_XML = { xmlDeclaration: false, emptyDimElements: true, positiveValues: true } as const;

/**
 * INFERRED (§8.7: empty results not documented): a journal call for a run that does not exist for
 * that company and year answers an empty string, not a fault.
 */
export const MISSING_RUN_JOURNAL = '';

// ---------------------------------------------------------------- the served full WSDL (§3)

/**
 * INFERRED (§3; wsdl-catalogue.ts): what the served WSDL's operations beyond the client subset
 * guess. wsdl.ts writes this list into the served WSDL as a comment, so a reader of `?WSDL` sees it.
 */
export const WSDL_GUESSES: readonly string[] = [
  'Element types the contract does not give follow ASMX conventions: strings and complex types minOccurs=0, value types and enums minOccurs=1, arrays as ArrayOfX.',
  'BankAccount.Type is typed string: the contract names an enum without its values.',
  'ContactPerson fields are all strings; PayrollWorkflow_Get answers ArrayOfPayrollWorkflowTrack{TrackName, TrackStatus, Actions/PayrollWorkflowAction*}.',
  'Address_GetCurrentWithAddressType takes only CompanyId, as the contract lists it.',
  'Reports_GetWageCodesByRunCompany takes CompanyId, RunId; Reports_GetWageCodesByYear takes CompanyId, Year (the contract names them without parameters).',
  'Reports_GetWageCodesByRunCompany_v2 _FilterByWageCode is left out: the contract does not give its exact name.',
];

// ---------------------------------------------------------------- documents (§3.3, §3.4, §8.9, §8.10)

/**
 * INFERRED (§8.9): SalaryDocuments_GetSEPA answers pain.001.001.03 XML as a string. Its CreDtTm is
 * the moment of the call (a bank file is "created" when it is downloaded), so two downloads of the
 * same run differ there; consumers must compare the transactions, not the bytes.
 */
export function sepaCreationTime(): string {
  return new Date().toISOString().slice(0, 19);
}

/** INFERRED: the EndToEndId of an employee's salary payment, unique per run and ≤ 35 characters. */
export function endToEndId(run: { id: number; recalculations: number }, e: { number: number }): string {
  return `SAL-${run.id}-${e.number}-${run.recalculations}`.slice(0, 35);
}

/** INFERRED: the company's (debtor's) paying account in the SEPA file. */
export const SEPA_DEBTOR = {
  iban: (companyId: number) => `NL20INGB${String(companyId).padStart(10, '0')}`,
  bic: 'INGBNL2A',
};

/** INFERRED (§8.10): WageTax_GetXML answers a Belastingdienst-style Loonaangifte message (simplified). */
export const LOONAANGIFTE_NS = 'http://xml.belastingdienst.nl/schemas/Loonaangifte/2026/01';

/**
 * INFERRED (§8.9): a `paymentDate` that is not given (the .NET default 0001-01-01) makes the SEPA
 * file's execution date the run date.
 */
export function sepaExecutionDate(paymentDate: string, runAt: string): string {
  const d = /^(\d{4})-(\d{2})-(\d{2})/.exec(paymentDate);
  return d && Number(d[1]) >= 2000 ? `${d[1]}-${d[2]}-${d[3]}` : runAt.slice(0, 10);
}

/** INFERRED (§8.11): the EmployeeType ids the simulator knows: 1 = active employees (the only type it holds). */
export const EMPLOYEE_TYPES = [{ Id: 1, Description: 'Werknemer' }];

/**
 * INFERRED (§3.4): an annual document for a run that does not exist in that company and year, or a
 * year without locked runs, answers a fault 2006 "Invalid Period" rather than an empty PDF.
 */
export const ANNUAL_DOCUMENT_WITHOUT_RUN_FAULT = { code: 2006, title: 'Invalid Period' } as const;

/**
 * INFERRED (§4 "journals can be recalculated"): a recalculated run shows a new RunAt in Run_GetList
 * (the time it was calculated again). Deterministic here: one minute later per recalculation.
 */
export function recalculatedRunAt(runAt: string): string {
  const t = new Date(`${runAt}Z`);
  t.setUTCMinutes(t.getUTCMinutes() + 1);
  return t.toISOString().slice(0, 19);
}

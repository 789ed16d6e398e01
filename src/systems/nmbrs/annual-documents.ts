/**
 * The 15 `SalaryDocuments_AnnualDocument_*` calls of CompanyService (contract nmbrs.md §3.4), with
 * their real spellings (`AnualStatement`, `JournalEntriesCompanyrCumulative`), and the Dutch name a
 * bookkeeper knows each document by. Plain constants: simulator, client and workflows share them.
 */
export const ANNUAL_DOCUMENTS = [
  ['AnualStatement', 'Jaaropgaven'],
  ['CompanyWageComponentsCumulative', 'Looncomponenten cumulatief'],
  ['JournalEntriesCompanyrCumulative', 'Journaalposten bedrijf cumulatief'],
  ['JournalEntriesCostCenterCumulative', 'Journaalposten kostenplaats cumulatief'],
  ['JournalEntriesDepartmentCumulative', 'Journaalposten afdeling cumulatief'],
  ['JournalEntriesEmployeeCumulative', 'Journaalposten werknemer cumulatief'],
  ['LeaveSaldos', 'Verlofsaldi'],
  ['PaymentListCumulative', 'Betaallijst cumulatief'],
  ['PayrollRegister', 'Loonstaat'],
  ['PayrollRegisterAllEmployees', 'Loonstaat alle werknemers'],
  ['PayrollRegisterSummaryCumulative', 'Loonstaat samenvatting cumulatief'],
  ['ReservationSaldos', 'Reserveringssaldi'],
  ['SentWageTaxDeclarations', 'Verzonden loonaangiftes'],
  ['WageTaxDeclarationOverviewByPeriod', 'Overzicht loonaangiftes per periode'],
  ['WageTaxDeclarationOverviewCumulative', 'Overzicht loonaangiftes cumulatief'],
] as const;

export type AnnualDocumentKind = (typeof ANNUAL_DOCUMENTS)[number][0];

export const annualDocumentCall = (kind: AnnualDocumentKind | string): string => `SalaryDocuments_AnnualDocument_${kind}`;

export const ANNUAL_DOCUMENT_CALLS: readonly string[] = ANNUAL_DOCUMENTS.map(([k]) => annualDocumentCall(k));

export function annualDocumentLabel(kind: string): string {
  return ANNUAL_DOCUMENTS.find(([k]) => k === kind)?.[1] ?? kind;
}

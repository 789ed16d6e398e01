/**
 * Every operation the contract (shared/contracts/nmbrs.md §3) lists for the services the simulator
 * serves, beyond those in the committed WSDL (src/systems/nmbrs/wsdl/, the client's subset).
 * wsdl.ts adds them to the served WSDL so that a generic SOAP client loads the full service; the
 * simulator answers the ones it does not implement with a clear fault (soap-server.ts).
 *
 * Shapes follow the contract's tables; what they leave open (exact element types, parameters the
 * contract does not spell out) is a guess, listed in inferred.ts (WSDL_GUESSES).
 * Types: xsd builtins by name (`int`, `string`, …), other names refer to TYPES or ENUMS below;
 * `ArrayOfX` is generated from X as ASMX writes it.
 */
import type { ServiceName } from './operations';

export interface CatalogueOperation {
  name: string;
  /** [element name, type] in WSDL order; names reproduce the contract's casing exactly. */
  params: Array<[string, string]>;
  /** Type of `<OpResult>`. */
  result: string;
  doc: string;
}

/** xsd builtins; the value types among them (and enums) are minOccurs=1 as in ASMX WSDLs. */
export const BUILTINS = new Set(['int', 'long', 'string', 'boolean', 'dateTime', 'decimal', 'double', 'base64Binary']);
export const VALUE_BUILTINS = new Set(['int', 'long', 'boolean', 'dateTime', 'decimal', 'double']);

/** Complex types the extra operations use: [element name, type][] (Company, WageCode come from the committed WSDL). */
export const TYPES: Record<string, Array<[string, string]>> = {
  Address: [
    ['Id', 'int'], ['Default', 'boolean'], ['Street', 'string'], ['HouseNumber', 'string'], ['HouseNumberAddition', 'string'],
    ['PostalCode', 'string'], ['City', 'string'], ['StateProvince', 'string'], ['CountryISOCode', 'string'],
  ],
  BankAccount: [['Id', 'int'], ['Number', 'string'], ['Description', 'string'], ['IBAN', 'string'], ['BIC', 'string'], ['City', 'string'], ['Name', 'string'], ['Type', 'string']],
  ContactPerson: [
    ['Email', 'string'], ['Name', 'string'], ['Phone', 'string'], ['Gender', 'string'], ['MobilePhone', 'string'], ['Fax', 'string'],
    ['Function', 'string'], ['Department', 'string'], ['Number', 'string'],
  ],
  EmployeeIdNumber: [['EmployeeId', 'int'], ['EmployeeNumber', 'int']],
  RunRequest: [['Period', 'int'], ['Year', 'int'], ['Status', 'RunRequestStatus'], ['HandledDate', 'dateTime']],
  CostCenter: [['Code', 'string'], ['Description', 'string'], ['Id', 'int']],
  CostUnit: [['Id', 'int'], ['Code', 'string'], ['Description', 'string']],
  PayrollWorkflowTrack: [['TrackName', 'string'], ['TrackStatus', 'string'], ['Actions', 'ArrayOfPayrollWorkflowAction']],
  PayrollWorkflowAction: [['ActionId', 'int'], ['ActionName', 'string'], ['ActionStatusId', 'int'], ['ActionStatus', 'string'], ['RunAt', 'dateTime']],
  WageTax: [
    ['LoonaangifteID', 'int'], ['SerialNumber', 'int'], ['PaymentReference', 'string'], ['TotalGeneral', 'int'], ['Period', 'int'], ['Year', 'int'],
    ['Status', 'string'], ['SentAt', 'dateTime'], ['TijdvakStart', 'dateTime'], ['TijdvakEnd', 'dateTime'],
    ['CorrectionTijdvakStart', 'dateTime'], ['CorrectionTijdvakEnd', 'dateTime'],
  ],
  Payslip: [['PDF', 'base64Binary']],
  EmployeeType: [['Id', 'int'], ['Description', 'string']],
  SalaryDocument: [['PDF', 'base64Binary']],
};

/** Enumerations (contract §3.1). */
export const ENUMS: Record<string, string[]> = {
  RunRequestStatus: ['Undefined', 'Pending', 'Handled', 'Complete', 'Canceled'],
};

const C = 'CompanyId';
const byCompany = (name: string, result: string, doc: string): CatalogueOperation => ({ name, params: [[C, 'int']], result, doc });
const journal = (name: string, v2: boolean, doc: string): CatalogueOperation => ({
  name,
  params: v2 ? [[C, 'int'], ['RunId', 'int'], ['intYear', 'int']] : [[C, 'int'], ['RunId', 'int']],
  result: 'string',
  doc,
});


export const CATALOGUE: Record<ServiceName, CatalogueOperation[]> = {
  CompanyService: [
    // §3.1 companies, periods, runs
    byCompany('Address_GetCurrentWithAddressType', 'Address', 'Get the current address of a company, with its address type'),
    byCompany('BankAccount_GetCurrent', 'BankAccount', 'Get the current bank account of a company'),
    byCompany('ContactPerson_Get', 'ContactPerson', 'Get the contact person of a company'),
    { name: 'Run_GetEmployeesByRunCompany', params: [[C, 'int'], ['RunId', 'int'], ['Year', 'int']], result: 'ArrayOfEmployeeIdNumber', doc: 'Get the employees of a run' },
    { name: 'RunRequest_GetList', params: [[C, 'int'], ['Year', 'int']], result: 'ArrayOfRunRequest', doc: 'Get the run requests of a company in a year' },
    byCompany('CostCenter_GetList', 'ArrayOfCostCenter', 'Get the cost centers of a company'),
    byCompany('CostUnit_GetList', 'ArrayOfCostUnit', 'Get the cost units of a company'),
    byCompany('WageModel2_GetWageCodes', 'ArrayOfWageCode', 'Get the wage codes of the second wage model of a company'),
    { name: 'PayrollWorkflow_Get', params: [[C, 'int'], ['Year', 'int'], ['Period', 'int']], result: 'ArrayOfPayrollWorkflowTrack', doc: 'Get the payroll workflow tracks of a period' },
    // §3.2 journals and journal/wage-code reports (XML as a string)
    journal('Journals_GetByRunCostCenter', false, 'Get the journals of a run per cost center (company active year)'),
    journal('Journals_GetByRunCostCenter_v2', true, 'Get the journals of a run per cost center'),
    journal('Journals_GetByRunDepartment', false, 'Get the journals of a run per department (company active year)'),
    journal('Journals_GetByRunDepartment_v2', true, 'Get the journals of a run per department'),
    journal('Journals_GetByRunEmployee', false, 'Get the journals of a run per employee (company active year)'),
    journal('Journals_GetByRunEmployee_v2', true, 'Get the journals of a run per employee'),
    journal('Journals_GetByRunCostCenterCostUnit', false, 'Get the journals of a run per cost center and cost unit'),
    {
      name: 'Journals_GetByRunCostCenterCostUnitPerYear',
      params: [['companyId', 'int'], ['runId', 'int'], ['year', 'int']],
      result: 'string',
      doc: 'Get the journals of a run per cost center and cost unit, for a year',
    },
    {
      name: 'Reports_GetJournalsReportByCompany',
      params: [[C, 'int'], ['StartPeriod', 'int'], ['EndPeriod', 'int'], ['Year', 'int']],
      result: 'string',
      doc: 'Get the cumulative journal report of a company (XML string)',
    },
    journal('Reports_GetWageCodesByRunCompany', false, 'Get the wage codes of a run (XML string)'),
    journal('Reports_GetWageCodesByRunCompany_v2', true, 'Get the wage codes of a run (XML string)'),
    { name: 'Reports_GetWageCodesByYear', params: [[C, 'int'], ['Year', 'int']], result: 'string', doc: 'Get the wage codes of a year (XML string)' },
    // §3.3 wage-tax declarations
    { name: 'WageTax_SetSentExternal', params: [['LoonaangifteID', 'int'], [C, 'int']], result: 'boolean', doc: 'Set the status of a wage-tax declaration to Sent as External' },
    // §3.4 payslips, SEPA, annual documents
    { name: 'SalaryDocuments_GetAllPayslipsPDFByRunCompany', params: [[C, 'int'], ['RunID', 'int']], result: 'Payslip', doc: 'Get all payslips of a run in one PDF' },
    {
      name: 'SalaryDocuments_GetEmployeePayslipsPDFByRunCompany',
      params: [['EmployeeID', 'int'], [C, 'int'], ['RunID', 'int']],
      result: 'ArrayOfPayslip',
      doc: 'Get the payslips of an employee in a run',
    },
    {
      name: 'SalaryDocuments_GetEmployeePayslipsPDFByRunCompany_v2',
      params: [['EmployeeID', 'int'], [C, 'int'], ['RunID', 'int'], ['intYear', 'int']],
      result: 'ArrayOfPayslip',
      doc: 'Get the payslips of an employee in a run',
    },
    {
      name: 'SalaryDocuments_GetEmployeePayslipsInOnePDFByRunCompany',
      params: [['EmployeeID', 'int'], [C, 'int'], ['RunID', 'int'], ['intYear', 'int']],
      result: 'Payslip',
      doc: 'Get the payslips of an employee in a run in one PDF',
    },
    journal('Reports_GetPayslipByRunCompany', false, 'Get the payslips of a run (XML string)'),
    journal('Reports_GetPayslipByRunCompany_v2', true, 'Get the payslips of a run (XML string)'),
    {
      name: 'SalaryDocuments_GetSEPA_Tax',
      params: [[C, 'int'], ['RunID', 'int'], ['Year', 'int'], ['WageTaxID', 'int'], ['paymentDate', 'dateTime']],
      result: 'string',
      doc: 'Get the SEPA wage-tax payment file',
    },
  ],
  EmployeeService: [
    { name: 'EmployeeType_GetList', params: [], result: 'ArrayOfEmployeeType', doc: 'Get the employee types' },
    { name: 'Employee_GetCurrent', params: [['EmployeeId', 'int']], result: 'string', doc: 'Get the current period of the company of an employee' },
    { name: 'SalaryDocuments_GetAnnualStatementPDF', params: [['EmployeeID', 'int'], ['intYear', 'int']], result: 'SalaryDocument', doc: 'Get the annual statement (jaaropgaaf) of an employee (PDF)' },
  ],
  DebtorService: [{ name: 'Address_Get', params: [['DebtorId', 'int']], result: 'Address', doc: 'Get the address of a debtor' }],
};

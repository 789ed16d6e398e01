/**
 * The SOAP operations the simulator implements: their header, their (case-sensitive) int
 * parameters and the XML inside `<OpResult>`. Element names and spellings follow the WSDL.
 */
import { child, escapeXml, type XmlElement } from '../../simulator-support/xml';
import { ANNUAL_DOCUMENTS, annualDocumentCall } from '../annual-documents';
import { NmbrsFault, requireCompany, visibleCompanies, type AuthHeaderValues } from './auth';
import { annualDocumentPdf, payslipsPdf, sepaXml, wageTaxXml } from './documents';
import {
  ANNUAL_DOCUMENT_WITHOUT_RUN_FAULT,
  currentPeriodString,
  EMPLOYEE_TYPES,
  environmentOf,
  MISSING_RUN_JOURNAL,
  sepaExecutionDate,
} from './inferred';
import { journalXml } from './journal-xml';
import { el } from './soap-xml';
import type { NmbrsState } from './state';
import type { Company, CompanyAddress, NmbrsUser, Run, WageTaxDeclaration } from './types';

export const SERVICES = {
  CompanyService: 'https://api.nmbrs.nl/soap/v3/CompanyService',
  DebtorService: 'https://api.nmbrs.nl/soap/v3/DebtorService',
  EmployeeService: 'https://api.nmbrs.nl/soap/v3/EmployeeService',
} as const;
export type ServiceName = keyof typeof SERVICES;

export interface OperationContext {
  state: NmbrsState;
  user: NmbrsUser;
  args: Record<string, number>;
  /** Values of `textParams` (strings, booleans, dateTimes) as sent; '' when absent. */
  text: Record<string, string>;
  /** Elements of `complexParams` (e.g. Address), undefined when absent. */
  complex: Record<string, XmlElement | undefined>;
}

export interface Operation {
  service: ServiceName;
  name: string;
  /** Header the WSDL declares; Environment_Get also accepts the other one. */
  header: AuthHeaderValues['kind'];
  /** xs:int parameters, in WSDL order. */
  params: string[];
  /** Non-int simple parameters (string, boolean, dateTime). */
  textParams?: string[];
  /** Complex-typed parameters (read as elements). */
  complexParams?: string[];
  /** XML inside the Result element; '' gives `<OpResult />`, undefined omits it. */
  handle(ctx: OperationContext): string | undefined;
}

const runInfoXml = (r: Run): string =>
  '<RunInfo>' +
  el('ID', r.id) +
  el('Number', r.number) +
  el('Year', r.year) +
  el('PeriodStart', r.periodStart) +
  el('PeriodEnd', r.periodEnd) +
  el('Description', r.description) +
  el('RunAt', r.runAt) +
  el('IsLocked', r.isLocked) +
  '</RunInfo>';

/** A run that does not exist for this company and year: MISSING_RUN_JOURNAL (inferred.ts). */
function journalFor(ctx: OperationContext, companyId: number, runId: number, year: number): string {
  requireCompany(ctx.state, ctx.user, companyId);
  const run = ctx.state.run(runId);
  if (!run || run.companyId !== companyId || run.year !== year) return MISSING_RUN_JOURNAL;
  // The journal is a string result: its XML travels escaped inside the Result element.
  return escapeXml(journalXml(run.journal));
}

const company: Operation[] = [
  {
    service: 'CompanyService',
    name: 'List_GetAll',
    header: 'AuthHeaderWithDomain',
    params: [],
    handle: ({ state, user }) =>
      visibleCompanies(state, user)
        .map(
          (c) =>
            '<Company>' +
            el('ID', c.id) +
            el('Number', c.number) +
            el('Name', c.name) +
            el('PhoneNumber', c.phoneNumber) +
            el('Email', c.email) +
            el('LoonaangifteTijdvak', c.loonaangifteTijdvak) +
            el('KvkNr', c.kvkNr) +
            '</Company>',
        )
        .join(''),
  },
  {
    service: 'CompanyService',
    name: 'Company_GetCurrentPeriod',
    header: 'AuthHeaderWithDomain',
    params: ['CompanyId'],
    handle: ({ state, user, args }) => {
      const c = requireCompany(state, user, args.CompanyId);
      return escapeXml(currentPeriodString(c.currentYear, c.currentPeriod, c.periodType));
    },
  },
  {
    service: 'CompanyService',
    name: 'Run_GetList',
    header: 'AuthHeaderWithDomain',
    params: ['CompanyId', 'Year'],
    handle: ({ state, user, args }) => {
      requireCompany(state, user, args.CompanyId);
      return state.runsOf(args.CompanyId, args.Year).map(runInfoXml).join('');
    },
  },
  {
    service: 'CompanyService',
    name: 'Journals_GetByRunCompany',
    header: 'AuthHeaderWithDomain',
    params: ['CompanyId', 'RunId'],
    // Year = the company's active year (contract §3.2).
    handle: (ctx) =>
      journalFor(ctx, ctx.args.CompanyId, ctx.args.RunId, ctx.state.company(ctx.args.CompanyId)?.currentYear ?? 0),
  },
  {
    service: 'CompanyService',
    name: 'Journals_GetByRunCompany_v2',
    header: 'AuthHeaderWithDomain',
    params: ['CompanyId', 'RunId', 'intYear'],
    handle: (ctx) => journalFor(ctx, ctx.args.CompanyId, ctx.args.RunId, ctx.args.intYear),
  },
  {
    service: 'CompanyService',
    name: 'WageModel_GetWageCodes',
    header: 'AuthHeaderWithDomain',
    params: ['CompanyId'],
    handle: ({ state, user, args }) =>
      requireCompany(state, user, args.CompanyId)
        .wageCodes.map((w) => `<WageCode>${el('Code', w.code)}${el('Description', w.description)}</WageCode>`)
        .join(''),
  },
];

const debtor: Operation[] = [
  {
    service: 'DebtorService',
    name: 'Environment_Get',
    header: 'AuthHeader',
    params: [],
    handle: ({ user }) => {
      const env = environmentOf(user.domain);
      return el('Domain', env.Domain) + el('SubDomain', env.SubDomain);
    },
  },
  {
    service: 'DebtorService',
    name: 'List_GetAll',
    header: 'AuthHeaderWithDomain',
    params: [],
    handle: ({ state, user }) =>
      state
        .debtorsOf(user)
        .map((d) => `<Debtor>${el('Id', d.id)}${el('Number', d.number)}${el('Name', d.name)}</Debtor>`)
        .join(''),
  },
];

const companyXml = (c: Company) =>
  '<Company>' +
  el('ID', c.id) +
  el('Number', c.number) +
  el('Name', c.name) +
  el('PhoneNumber', c.phoneNumber) +
  el('Email', c.email) +
  el('LoonaangifteTijdvak', c.loonaangifteTijdvak) +
  el('KvkNr', c.kvkNr) +
  '</Company>';

const wageTaxItemXml = (w: WageTaxDeclaration) =>
  '<WageTax>' +
  el('LoonaangifteID', w.id) +
  el('SerialNumber', w.serialNumber) +
  el('PaymentReference', w.paymentReference) +
  el('TotalGeneral', w.totalGeneral) +
  el('Period', w.period) +
  el('Year', w.year) +
  el('Status', w.status) +
  el('SentAt', w.sentAt) +
  el('TijdvakStart', w.tijdvakStart) +
  el('TijdvakEnd', w.tijdvakEnd) +
  el('CorrectionTijdvakStart', w.correctionTijdvakStart) +
  el('CorrectionTijdvakEnd', w.correctionTijdvakEnd) +
  '</WageTax>';

const addressXml = (a: CompanyAddress) =>
  el('Id', a.id) +
  el('Default', true) +
  el('Street', a.street) +
  el('HouseNumber', a.houseNumber) +
  el('HouseNumberAddition', a.houseNumberAddition) +
  el('PostalCode', a.postalCode) +
  el('City', a.city) +
  el('CountryISOCode', a.countryISOCode);

/** A run of this company and year, or the fault Nmbrs gives for a run it does not know. */
function runOf(ctx: OperationContext, companyId: number, runId: number, year: number): Run {
  const run = ctx.state.run(runId);
  if (!run || run.companyId !== companyId || run.year !== year) {
    throw new NmbrsFault(ANNUAL_DOCUMENT_WITHOUT_RUN_FAULT.code, ANNUAL_DOCUMENT_WITHOUT_RUN_FAULT.title);
  }
  return run;
}

const pdfResult = (pdf: Buffer) => el('PDF', pdf.toString('base64'));

function readAddress(e: XmlElement | undefined, ns: string): Omit<CompanyAddress, 'id' | 'companyId'> {
  const f = (name: string) => {
    const v = child(e, name, ns)?.text.trim();
    return v ? v : undefined;
  };
  return {
    street: f('Street'),
    houseNumber: f('HouseNumber'),
    houseNumberAddition: f('HouseNumberAddition'),
    postalCode: f('PostalCode'),
    city: f('City'),
    countryISOCode: f('CountryISOCode'),
  };
}

/** Company_Insert's PeriodType ints (contract §4, MK consts): 1 month, 2 four-week, 3 week. */
const PERIOD_TYPES: Record<number, Company['periodType']> = { 1: 'M', 2: 'W4', 3: 'W1' };

const mijnKantoorCompany: Operation[] = [
  {
    service: 'CompanyService',
    name: 'List_GetByDebtor',
    header: 'AuthHeaderWithDomain',
    params: ['DebtorId'],
    handle: ({ state, user, args }) => {
      // A debtor outside the login's reach: 2009 (contract §2, "debtor id not accessible").
      if (!state.debtorsOf(user).some((d) => d.id === args.DebtorId)) throw new NmbrsFault(2009, 'Unauthorized Access');
      return visibleCompanies(state, user)
        .filter((c) => c.debtorId === args.DebtorId)
        .map(companyXml)
        .join('');
    },
  },
  {
    service: 'CompanyService',
    name: 'Address_GetCurrent',
    header: 'AuthHeaderWithDomain',
    params: ['CompanyId'],
    handle: ({ state, user, args }) => {
      requireCompany(state, user, args.CompanyId);
      const a = state.currentAddress(args.CompanyId);
      return a ? addressXml(a) : undefined;
    },
  },
  {
    service: 'CompanyService',
    name: 'WageTax_GetList',
    header: 'AuthHeaderWithDomain',
    params: ['CompanyId', 'intYear'],
    handle: ({ state, user, args }) => {
      requireCompany(state, user, args.CompanyId);
      return state.wageTaxesOf(args.CompanyId, args.intYear).map(wageTaxItemXml).join('');
    },
  },
  {
    service: 'CompanyService',
    name: 'WageTax_GetXML',
    header: 'AuthHeaderWithDomain',
    params: ['LoonaangifteID', 'CompanyId'],
    handle: ({ state, user, args }) => {
      const company = requireCompany(state, user, args.CompanyId);
      const w = state.wageTax(args.LoonaangifteID);
      if (!w || w.companyId !== company.id) throw new NmbrsFault(9999, 'Unknown');
      return escapeXml(wageTaxXml(company, w, state.employeesOf(company.id)));
    },
  },
  {
    service: 'CompanyService',
    name: 'SalaryDocuments_GetAllPayslipsPDFByRunCompany_v2',
    header: 'AuthHeaderWithDomain',
    params: ['CompanyId', 'RunID', 'intYear'],
    handle: (ctx) => {
      const company = requireCompany(ctx.state, ctx.user, ctx.args.CompanyId);
      const run = runOf(ctx, company.id, ctx.args.RunID, ctx.args.intYear);
      return pdfResult(payslipsPdf(company, run, ctx.state.employeesOf(company.id)));
    },
  },
  {
    service: 'CompanyService',
    name: 'SalaryDocuments_GetSEPA',
    header: 'AuthHeaderWithDomain',
    params: ['CompanyId', 'RunID', 'Year'],
    textParams: ['paymentDate'],
    handle: (ctx) => {
      const company = requireCompany(ctx.state, ctx.user, ctx.args.CompanyId);
      const run = runOf(ctx, company.id, ctx.args.RunID, ctx.args.Year);
      return escapeXml(sepaXml(company, run, ctx.state.employeesOf(company.id), sepaExecutionDate(ctx.text.paymentDate, run.runAt)));
    },
  },
  ...ANNUAL_DOCUMENTS.map(
    ([kind]): Operation => ({
      service: 'CompanyService',
      name: annualDocumentCall(kind),
      header: 'AuthHeaderWithDomain',
      params: ['CompanyId', 'RunId', 'Year'],
      handle: (ctx) => {
        const company = requireCompany(ctx.state, ctx.user, ctx.args.CompanyId);
        const run = runOf(ctx, company.id, ctx.args.RunId, ctx.args.Year);
        return pdfResult(annualDocumentPdf(kind, company, ctx.args.Year, run, ctx.state.employeesOf(company.id)));
      },
    }),
  ),
  {
    service: 'CompanyService',
    name: 'Company_Insert',
    header: 'AuthHeaderWithDomain',
    params: ['DebtorId', 'PeriodType', 'DefaultCompanyId'],
    textParams: ['CompanyName', 'LabourAgreementSettingsGroupId', 'PayInAdvance'],
    handle: ({ state, user, args, text }) => {
      if (!state.debtorsOf(user).some((d) => d.id === args.DebtorId)) throw new NmbrsFault(2009, 'Unauthorized Access');
      const periodType = PERIOD_TYPES[args.PeriodType];
      if (!periodType || !text.CompanyName.trim()) throw new NmbrsFault(2030, 'Invalid set of values');
      return String(state.insertCompany(args.DebtorId, text.CompanyName.trim(), periodType).id);
    },
  },
  ...(['Address_Insert', 'Address_Update'] as const).map(
    (name): Operation => ({
      service: 'CompanyService',
      name,
      header: 'AuthHeaderWithDomain',
      params: ['CompanyId'],
      complexParams: ['Address'],
      handle: ({ state, user, args, complex }) => {
        requireCompany(state, user, args.CompanyId);
        const address = readAddress(complex.Address, SERVICES.CompanyService);
        return String(state.insertAddress(args.CompanyId, address, name === 'Address_Update').id);
      },
    }),
  ),
];

const employee: Operation[] = [
  {
    service: 'EmployeeService',
    name: 'List_GetByCompany',
    header: 'AuthHeaderWithDomain',
    params: ['CompanyId', 'EmployeeType'],
    handle: ({ state, user, args }) => {
      requireCompany(state, user, args.CompanyId);
      if (!EMPLOYEE_TYPES.some((t) => t.Id === args.EmployeeType)) return '';
      return state
        .employeesOf(args.CompanyId)
        .filter((e) => e.employeeType === args.EmployeeType)
        .map((e) => `<Employee>${el('Id', e.id)}${el('Number', e.number)}${el('DisplayName', e.displayName)}</Employee>`)
        .join('');
    },
  },
];

export const OPERATIONS: readonly Operation[] = [...company, ...mijnKantoorCompany, ...debtor, ...employee];

export function findOperation(service: ServiceName, name: string): Operation | undefined {
  return OPERATIONS.find((op) => op.service === service && op.name === name);
}

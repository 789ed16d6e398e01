/**
 * Typed Visma Nmbrs SOAP v3 client on top of the `soap` package and the committed WSDL files.
 * Only the base URL differs between the simulator and https://api.nmbrs.nl.
 */
import * as soap from 'soap';
import type { z } from 'zod';
import { KoppelError } from '../../../domain/errors';
import { awaitCallSlot } from '../../../platform/call-budget';
import { nmbrsSystem } from '../system';
import { mapNmbrsError, redact, type NmbrsCallContext } from './errors';
import { JournalFormatError, parseJournalXml } from './journal';
import { annualDocumentCall } from '../annual-documents';
import {
  addressResponse,
  companiesByDebtorResponse,
  employeesResponse,
  intResult,
  listDebtorsResponse,
  pdfResult,
  stringResult,
  wageTaxListResponse,
  currentPeriodResponse,
  environmentResponse,
  journalStringResponse,
  listCompaniesResponse,
  runListResponse,
  wageCodesResponse,
} from './schemas';
import type {
  NmbrsAddress,
  NmbrsDebtor,
  NmbrsEmployee,
  NmbrsWageTax,
  NmbrsCompany,
  NmbrsCredentials,
  NmbrsEnvironment,
  NmbrsJournal,
  NmbrsPeriod,
  NmbrsWageCode,
  RunInfo,
} from './types';
import { wsdlPath, type NmbrsServiceName } from './wsdl';

export const NMBRS_PRODUCTION_URL = 'https://api.nmbrs.nl';
export const NMBRS_SANDBOX_URL = 'https://api-sandbox.nmbrs.nl';
const DEFAULT_TIMEOUT_MS = 30_000;

export interface NmbrsClientOptions {
  /** `https://api.nmbrs.nl`, the sandbox, or a simulator URL; `/soap/v3/<Service>.asmx` is appended. */
  baseUrl: string;
  credentials: NmbrsCredentials;
  /** Per-call HTTP timeout (default 30 s). */
  timeoutMs?: number;
}

export interface NmbrsClient {
  listCompanies(): Promise<NmbrsCompany[]>;
  getCurrentPeriod(companyId: number): Promise<NmbrsPeriod>;
  listRuns(companyId: number, year: number): Promise<RunInfo[]>;
  getJournal(companyId: number, runId: number, year: number): Promise<NmbrsJournal>;
  getWageCodes(companyId: number): Promise<NmbrsWageCode[]>;
  getEnvironment(): Promise<NmbrsEnvironment>;
  listDebtors(): Promise<NmbrsDebtor[]>;
  listCompaniesByDebtor(debtorId: number): Promise<NmbrsCompany[]>;
  listWageTaxes(companyId: number, year: number): Promise<NmbrsWageTax[]>;
  getWageTaxXml(companyId: number, loonaangifteId: number): Promise<string>;
  /** All payslips of a run in one PDF. */
  getPayslipsPdf(companyId: number, runId: number, year: number): Promise<Buffer>;
  /** The SEPA salary payment file (pain.001 XML); `paymentDate` `YYYY-MM-DD` sets its execution date. */
  getSepa(companyId: number, runId: number, year: number, paymentDate: string): Promise<string>;
  /** One `SalaryDocuments_AnnualDocument_<kind>` PDF. */
  getAnnualDocument(kind: string, companyId: number, runId: number, year: number): Promise<Buffer>;
  listEmployees(companyId: number, employeeType?: number): Promise<NmbrsEmployee[]>;
  /** Company_Insert; `periodType` 1 month, 2 four-week, 3 week. Returns the new CompanyId. */
  insertCompany(debtorId: number, name: string, periodType: 1 | 2 | 3): Promise<number>;
  getCurrentAddress(companyId: number): Promise<NmbrsAddress | undefined>;
  /** Address_Insert, or Address_Update (a delete plus an insert): either way the new address id. */
  putAddress(companyId: number, address: NmbrsAddress, update: boolean): Promise<number>;
}

const NAMESPACE: Record<NmbrsServiceName, string> = {
  CompanyService: 'https://api.nmbrs.nl/soap/v3/CompanyService',
  DebtorService: 'https://api.nmbrs.nl/soap/v3/DebtorService',
  EmployeeService: 'https://api.nmbrs.nl/soap/v3/EmployeeService',
};

/** The only call still declared with the v2-style AuthHeader: it is how you find the domain. */
const AUTH_HEADER_ONLY = new Set(['DebtorService.Environment_Get']);

type SoapMethod = (args: object, options?: object) => Promise<[unknown, ...unknown[]]>;

export function createNmbrsClient(options: NmbrsClientOptions): NmbrsClient {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const { credentials } = options;
  const timeout = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const secrets = [credentials.token];
  // The budget is per API user (and environment).
  const account = `${credentials.username}|${credentials.domain}`;
  const clients = new Map<string, Promise<soap.Client>>();

  /** One `soap` client per service and header kind, built once from the local WSDL (no network needed for it). */
  function soapClient(service: NmbrsServiceName, operation: string): Promise<soap.Client> {
    const v2Header = AUTH_HEADER_ONLY.has(`${service}.${operation}`);
    const key = `${service}|${v2Header}`;
    let client = clients.get(key);
    if (!client) {
      client = soap
        .createClientAsync(wsdlPath(service), {
          endpoint: `${baseUrl}/soap/v3/${service}.asmx`,
          // Keep xs:dateTime as sent (zone-less Dutch local time) instead of a host-TZ Date.
          customDeserializer: { dateTime: (text: string) => text },
        })
        .then((c) => {
          // v3 calls carry AuthHeaderWithDomain; DebtorService.Environment_Get still takes the
          // v2-style AuthHeader, since it is how you find the domain.
          const header =
            v2Header
              ? { AuthHeader: { Username: credentials.username, Token: credentials.token } }
              : { AuthHeaderWithDomain: { Username: credentials.username, Token: credentials.token, Domain: credentials.domain } };
          c.addSoapHeader(header, '', 'tns', NAMESPACE[service]);
          return c;
        });
      client.catch(() => clients.delete(key)); // a failed build may be retried
      clients.set(key, client);
    }
    return client;
  }

  async function call<S extends z.ZodTypeAny>(
    ctx: Omit<NmbrsCallContext, 'secrets'>,
    args: object,
    schema: S,
  ): Promise<z.output<S>> {
    const full: NmbrsCallContext = { ...ctx, secrets };
    let result: unknown;
    const client = await soapClient(ctx.service, ctx.operation).catch((err) => {
      throw mapNmbrsError(err, full);
    });
    await awaitCallSlot(nmbrsSystem, account);
    try {
      const method = (client as unknown as Record<string, SoapMethod>)[`${ctx.operation}Async`];
      [result] = await method(args, { timeout });
    } catch (err) {
      throw mapNmbrsError(err, full);
    }
    const parsed = schema.safeParse(result ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw unexpectedAnswer(full, `${issue.path.join('.')}: ${issue.message}`);
    }
    return parsed.data;
  }

  return {
    listCompanies: () => call({ service: 'CompanyService', operation: 'List_GetAll' }, {}, listCompaniesResponse),

    getCurrentPeriod: (companyId) =>
      call({ service: 'CompanyService', operation: 'Company_GetCurrentPeriod', companyId }, { CompanyId: companyId }, currentPeriodResponse),

    listRuns: (companyId, year) =>
      call({ service: 'CompanyService', operation: 'Run_GetList', companyId }, { CompanyId: companyId, Year: year }, runListResponse),

    async getJournal(companyId, runId, year) {
      const ctx = { service: 'CompanyService' as const, operation: 'Journals_GetByRunCompany_v2', companyId };
      // Parameter names as in the WSDL: RunId here, intYear (not Year) for the v2 call.
      const xml = await call(ctx, { CompanyId: companyId, RunId: runId, intYear: year }, journalStringResponse);
      try {
        return parseJournalXml(xml);
      } catch (err) {
        if (err instanceof JournalFormatError) throw unexpectedAnswer({ ...ctx, secrets }, err.message);
        throw err;
      }
    },

    getWageCodes: (companyId) =>
      call({ service: 'CompanyService', operation: 'WageModel_GetWageCodes', companyId }, { CompanyId: companyId }, wageCodesResponse),

    getEnvironment: () => call({ service: 'DebtorService', operation: 'Environment_Get' }, {}, environmentResponse),

    listDebtors: () => call({ service: 'DebtorService', operation: 'List_GetAll' }, {}, listDebtorsResponse),

    listCompaniesByDebtor: (debtorId) =>
      call({ service: 'CompanyService', operation: 'List_GetByDebtor' }, { DebtorId: debtorId }, companiesByDebtorResponse),

    listWageTaxes: (companyId, year) =>
      call({ service: 'CompanyService', operation: 'WageTax_GetList', companyId }, { CompanyId: companyId, intYear: year }, wageTaxListResponse),

    getWageTaxXml: (companyId, id) =>
      call({ service: 'CompanyService', operation: 'WageTax_GetXML', companyId }, { LoonaangifteID: id, CompanyId: companyId }, stringResult('WageTax_GetXML')),

    getPayslipsPdf: (companyId, runId, year) => {
      const operation = 'SalaryDocuments_GetAllPayslipsPDFByRunCompany_v2';
      // RunID with a capital D here, and intYear: the WSDL's spelling.
      return call({ service: 'CompanyService', operation, companyId }, { CompanyId: companyId, RunID: runId, intYear: year }, pdfResult(operation));
    },

    getSepa: (companyId, runId, year, paymentDate) =>
      call(
        { service: 'CompanyService', operation: 'SalaryDocuments_GetSEPA', companyId },
        { CompanyId: companyId, RunID: runId, Year: year, paymentDate: `${paymentDate}T00:00:00` },
        stringResult('SalaryDocuments_GetSEPA'),
      ),

    getAnnualDocument: (kind, companyId, runId, year) => {
      const operation = annualDocumentCall(kind);
      return call({ service: 'CompanyService', operation, companyId }, { CompanyId: companyId, RunId: runId, Year: year }, pdfResult(operation));
    },

    listEmployees: (companyId, employeeType = 1) =>
      call({ service: 'EmployeeService', operation: 'List_GetByCompany', companyId }, { CompanyId: companyId, EmployeeType: employeeType }, employeesResponse),

    insertCompany: (debtorId, name, periodType) =>
      call(
        { service: 'CompanyService', operation: 'Company_Insert' },
        {
          DebtorId: debtorId,
          CompanyName: name,
          PeriodType: periodType,
          DefaultCompanyId: 0,
          LabourAgreementSettingsGroupId: '00000000-0000-0000-0000-000000000000',
          PayInAdvance: false,
        },
        intResult('Company_Insert'),
      ),

    getCurrentAddress: (companyId) =>
      call({ service: 'CompanyService', operation: 'Address_GetCurrent', companyId }, { CompanyId: companyId }, addressResponse),

    putAddress: (companyId, a, update) => {
      const operation = update ? 'Address_Update' : 'Address_Insert';
      const Address = {
        Id: a.id ?? 0,
        Default: true,
        Street: a.street,
        HouseNumber: a.houseNumber,
        HouseNumberAddition: a.houseNumberAddition,
        PostalCode: a.postalCode,
        City: a.city,
        CountryISOCode: a.countryISOCode ?? 'NL',
      };
      return call({ service: 'CompanyService', operation, companyId }, { CompanyId: companyId, Address }, intResult(operation));
    },
  };
}

/** A well-formed SOAP answer in a shape we do not know: retrying will not change it. */
function unexpectedAnswer(ctx: NmbrsCallContext, detail: string): KoppelError {
  return new KoppelError({
    type: 'InvalidData',
    system: 'nmbrs',
    message: redact(`Nmbrs ${ctx.service}.${ctx.operation}: unexpected response (${detail})`, ctx.secrets),
    oorzaak: `Visma Nmbrs gaf op ${ctx.operation} een antwoord in een onverwachte vorm (${redact(detail, ctx.secrets)}).`,
    oplossing: 'Neem contact op met support van Koppelwerk: mogelijk is de Nmbrs-API gewijzigd.',
    details: { operation: ctx.operation, companyId: ctx.companyId },
  });
}

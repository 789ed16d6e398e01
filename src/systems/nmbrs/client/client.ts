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
import {
  currentPeriodResponse,
  environmentResponse,
  journalStringResponse,
  listCompaniesResponse,
  runListResponse,
  wageCodesResponse,
} from './schemas';
import type {
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
}

const NAMESPACE: Record<NmbrsServiceName, string> = {
  CompanyService: 'https://api.nmbrs.nl/soap/v3/CompanyService',
  DebtorService: 'https://api.nmbrs.nl/soap/v3/DebtorService',
};

type SoapMethod = (args: object, options?: object) => Promise<[unknown, ...unknown[]]>;

export function createNmbrsClient(options: NmbrsClientOptions): NmbrsClient {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const { credentials } = options;
  const timeout = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const secrets = [credentials.token];
  // The budget is per API user (and environment).
  const account = `${credentials.username}|${credentials.domain}`;
  const clients = new Map<NmbrsServiceName, Promise<soap.Client>>();

  /** One `soap` client per service, built once from the local WSDL (no network needed for it). */
  function soapClient(service: NmbrsServiceName): Promise<soap.Client> {
    let client = clients.get(service);
    if (!client) {
      client = soap
        .createClientAsync(wsdlPath(service), {
          endpoint: `${baseUrl}/soap/v3/${service}.asmx`,
          // Keep xs:dateTime as sent (zone-less Dutch local time) instead of a host-TZ Date.
          customDeserializer: { dateTime: (text: string) => text },
        })
        .then((c) => {
          // v3 calls carry AuthHeaderWithDomain; DebtorService.Environment_Get (the only debtor
          // call used here) still takes the v2-style AuthHeader, since it is how you find the domain.
          const header =
            service === 'DebtorService'
              ? { AuthHeader: { Username: credentials.username, Token: credentials.token } }
              : { AuthHeaderWithDomain: { Username: credentials.username, Token: credentials.token, Domain: credentials.domain } };
          c.addSoapHeader(header, '', 'tns', NAMESPACE[service]);
          return c;
        });
      client.catch(() => clients.delete(service)); // a failed build may be retried
      clients.set(service, client);
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
    const client = await soapClient(ctx.service).catch((err) => {
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

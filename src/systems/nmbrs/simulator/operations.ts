/**
 * The SOAP operations the simulator implements: their header, their (case-sensitive) int
 * parameters and the XML inside `<OpResult>`. Element names and spellings follow the WSDL.
 */
import { escapeXml } from '../../simulator-support/xml';
import { requireCompany, visibleCompanies, type AuthHeaderValues } from './auth';
import { currentPeriodString, environmentOf, MISSING_RUN_JOURNAL } from './inferred';
import { journalXml } from './journal-xml';
import { el } from './soap-xml';
import type { NmbrsState } from './state';
import type { NmbrsUser, Run } from './types';

export const SERVICES = {
  CompanyService: 'https://api.nmbrs.nl/soap/v3/CompanyService',
  DebtorService: 'https://api.nmbrs.nl/soap/v3/DebtorService',
} as const;
export type ServiceName = keyof typeof SERVICES;

export interface OperationContext {
  state: NmbrsState;
  user: NmbrsUser;
  args: Record<string, number>;
}

export interface Operation {
  service: ServiceName;
  name: string;
  /** Header the WSDL declares; Environment_Get also accepts the other one. */
  header: AuthHeaderValues['kind'];
  /** xs:int parameters, in WSDL order. */
  params: string[];
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

export const OPERATIONS: readonly Operation[] = [...company, ...debtor];

export function findOperation(service: ServiceName, name: string): Operation | undefined {
  return OPERATIONS.find((op) => op.service === service && op.name === name);
}

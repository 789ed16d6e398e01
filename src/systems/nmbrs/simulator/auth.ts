/**
 * Nmbrs authentication and API rights: login (1001), subscription (1004), call Active in the user
 * template (1002), company scope (2004/1003). The order they run in is a guess: CHECKS_AFTER_LOGIN
 * in inferred.ts, applied by soap-server.ts (company scope inside the operation).
 */
import type { NmbrsState } from './state';
import type { Company, NmbrsUser } from './types';

/** A thrown Nmbrs error; the SOAP layer turns it into `---> {code}: {title}`. */
export class NmbrsFault extends Error {
  constructor(
    readonly code: number,
    readonly title: string,
  ) {
    super(`${code}: ${title}`);
  }
}

/** Titles as in the Nmbrs error-code list (contract §2). */
export const fault = {
  invalidAuthentication: () => new NmbrsFault(1001, 'Invalid Authentication'),
  unauthorizedAccess: () => new NmbrsFault(1002, 'Unauthorized Access'),
  unauthorizedAccessData: () => new NmbrsFault(1003, 'Unauthorized Access Data'),
  noSubscription: () => new NmbrsFault(1004, 'Disabled, no valid subscription'),
  companyNotAccessible: () => new NmbrsFault(2004, 'Unauthorized Access'),
};

export interface AuthHeaderValues {
  kind: 'AuthHeader' | 'AuthHeaderWithDomain';
  username: string;
  token: string;
  domain: string;
}

/** The login check (1001): user, token and (when given) domain. */
export function authenticate(state: NmbrsState, header: AuthHeaderValues | undefined): NmbrsUser {
  if (!header || !header.username || !header.token) throw fault.invalidAuthentication();
  const user = state.user(header.username);
  if (!user || user.token !== header.token) throw fault.invalidAuthentication();
  // v3 allows an empty Domain (migration aid); a wrong one is an invalid login.
  if (header.kind === 'AuthHeaderWithDomain' && header.domain && header.domain.toLowerCase() !== user.domain.toLowerCase()) {
    throw fault.invalidAuthentication();
  }
  return user;
}

/** 1004 when none of the login's debtors has a subscription. */
export function requireSubscription(state: NmbrsState, user: NmbrsUser): void {
  const debtors = state.debtorsOf(user);
  if (debtors.length > 0 && debtors.every((d) => !d.subscribed)) throw fault.noSubscription();
}

/** Templates start with every call Active; `inactiveCalls` holds `Call` or `Service:Call`. */
export function requireCallActive(user: NmbrsUser, service: string, call: string): void {
  const inactive = user.inactiveCalls ?? [];
  if (inactive.includes(call) || inactive.includes(`${service}:${call}`)) throw fault.unauthorizedAccess();
}

/** Companies the login can see: its debtors' companies, narrowed by its tag filter. */
export function visibleCompanies(state: NmbrsState, user: NmbrsUser): Company[] {
  const companies = state.companiesOfDebtors(state.debtorsOf(user).map((d) => d.id));
  return user.companyIds ? companies.filter((c) => user.companyIds!.includes(c.id)) : companies;
}

export function requireCompany(state: NmbrsState, user: NmbrsUser, companyId: number): Company {
  const company = state.company(companyId);
  const ownDebtor = company && state.debtorsOf(user).some((d) => d.id === company.debtorId);
  if (!company || !ownDebtor) throw fault.companyNotAccessible();
  if (user.companyIds && !user.companyIds.includes(companyId)) throw fault.unauthorizedAccessData();
  if (!state.debtor(company.debtorId)?.subscribed) throw fault.noSubscription();
  return company;
}

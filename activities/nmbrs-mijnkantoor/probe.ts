/**
 * `nmkProbe` (Nmbrs queue): what an hourly tick of the Nmbrs ↔ Mijn Kantoor koppeling must read to
 * notice that a cycle has work, and nothing more. The cycle's work shows in these listings only:
 *
 *  - Mijn Kantoor `GET /customers` (all pages): a new or changed customer (name, number, KvK,
 *    address) is a relation to create or update in the chosen direction, and decides which Nmbrs
 *    company is whose (matching by number).
 *  - Nmbrs `List_GetAll` (debtors) and `List_GetByDebtor` per debtor: a new or renamed company.
 *  - Per matched company and year from `syncFromYear`: `Run_GetList` (payslips or SEPA on) and
 *    `WageTax_GetList` (loonaangiftes on). A new run, a run locked or recalculated, a loonaangifte
 *    with a new status, total or correction changes the same listing fields the scan's document
 *    fingerprint takes (domain/documents.ts), so the probe sees each such change. Nmbrs has no change
 *    date or feed for these.
 *  - Relations inbound only: Nmbrs `Employee_GetList` per matched company, for new employees that the
 *    cycle adds as contacts.
 * Not read: Mijn Kantoor contacts and dossiers (a contact or document is written once through the
 * ledger and never again, so a change there is no work), Nmbrs addresses (outbound pushes Mijn
 * Kantoor's address once per content, which shows in the customer list), and the documents
 * themselves. A document that failed to file ended its cycle `partial` or `failed`, which never
 * sets the watermark. Jaarwerk and direct sync are started on demand, not by ticks.
 *
 * MongoDB: the koppeling (one find; credentials from the probe cache, see activities/probe.ts) and
 * the companies this koppeling created in Nmbrs (one find in the ledger), which match their
 * customers by link instead of by number. So an idle hour costs 2 MongoDB reads, and of the cycle's
 * source calls it saves the second listing of customers and companies and the contacts per customer.
 */
import { localParts } from '../../src/domain/cadence';
import { runFingerprint, wageTaxFingerprint } from '../../src/koppelingen/nmbrs-mijnkantoor/domain/documents';
import { matchCompanies } from '../../src/koppelingen/nmbrs-mijnkantoor/domain/matching';
import { NMBRS_MIJNKANTOOR, nmbrsMijnkantoorSettings } from '../../src/koppelingen/nmbrs-mijnkantoor/settings';
import { createMijnKantoorClient } from '../../src/systems/mijnkantoor/client';
import type { ActivityDeps } from '../deps';
import { nmbrsClientWith } from '../nmbrs-journal';
import { fingerprintOf, probeSupport, type ProbeInput, type ProbeResult } from '../probe';
import { alive, eachLimited, heartbeat, missingCredentials, retrying } from '../support';
import type { Context } from './context';
import { allCompanies, companyRef } from './scan';

/** Companies listed at once, as in the scan. */
const COMPANY_CONCURRENCY = 4;

export function probe(deps: ActivityDeps, ctx: Context) {
  const support = probeSupport(deps);
  return async function nmkProbe(input: ProbeInput): Promise<ProbeResult> {
    const k = await support.load(input.koppelingId, NMBRS_MIJNKANTOOR);
    const s = nmbrsMijnkantoorSettings.parse(k.settings);
    const documents = s.fetch.loonstroken || s.fetch.sepa || s.fetch.loonaangiftes;
    if (!documents && !s.syncRelations) return fingerprintOf(k, { off: true });
    const creds = await support.secrets(k, ['nmbrs', 'mijnkantoor']);
    if (!creds.mijnkantoor.token) throw missingCredentials('mijnkantoor');
    const nmbrs = nmbrsClientWith(deps, creds.nmbrs, s.nmbrsTimeoutMs);
    const mk = createMijnKantoorClient({ baseUrl: deps.config.MIJNKANTOOR_BASE_URL, token: creds.mijnkantoor.token, tenant: creds.mijnkantoor.tenant, timeoutMs: s.mijnkantoorTimeoutMs });
    const links = await ctx.companyLinks(k._id);

    // Heartbeats while it reads: a killed worker's probe is retried after the short heartbeat timeout.
    return alive(async () => {
      const [customers, companies] = await Promise.all([retrying(() => mk.listCustomers()), allCompanies(nmbrs)]);
      const matched = matchCompanies(companies.map(companyRef), customers, links).flatMap((m) => (m.kind === 'match' ? [m.company.id] : []));
      const thisYear = localParts(new Date()).year;
      const years = Array.from({ length: Math.max(0, thisYear - s.syncFromYear + 1) }, (_, i) => s.syncFromYear + i);
      const perCompany = new Map<number, unknown>();
      await eachLimited(matched, COMPANY_CONCURRENCY, async (companyId) => {
        const seen: unknown[] = [];
        if (s.syncRelations && s.direction === 'inbound') {
          seen.push((await retrying(() => nmbrs.listEmployees(companyId))).map((e) => [e.id, e.number, e.displayName]));
        }
        if (documents) {
          for (const year of years) {
            heartbeat({ companyId, year });
            if (s.fetch.loonstroken || s.fetch.sepa) seen.push((await retrying(() => nmbrs.listRuns(companyId, year))).map((r) => [r.id, r.number, r.year, r.periodStart, r.periodEnd, runFingerprint(r)]));
            if (s.fetch.loonaangiftes) seen.push((await retrying(() => nmbrs.listWageTaxes(companyId, year))).map((w) => [w.id, w.year, w.period, wageTaxFingerprint(w)]));
          }
        }
        perCompany.set(companyId, seen);
      });
      return fingerprintOf(k, {
        customers: [...customers].sort((a, b) => a.id.localeCompare(b.id)),
        companies: companies.map((c) => [c.id, c.number, c.name, c.kvkNr ?? '', c.email ?? '', c.loonaangifteTijdvak ?? '']).sort((a, b) => Number(a[0]) - Number(b[0])),
        links: [...links].sort((a, b) => a[0] - b[0]),
        documents: [...perCompany].sort((a, b) => a[0] - b[0]),
      });
    });
  };
}

/**
 * `nmkScan` (Nmbrs queue): which documents need filing this hour. Lists the Mijn Kantoor customers
 * and the Nmbrs debtors' companies, matches them by number, and per matched company lists the runs
 * and loonaangiftes of the years in range. A document whose listing fingerprint has not changed
 * since it was filed is not downloaded again: an idle hour costs two list calls per company-year.
 */
import { localParts } from '../../src/domain/cadence';
import { runFingerprint, statusAllowed, wageTaxFingerprint, isCorrection } from '../../src/koppelingen/nmbrs-mijnkantoor/domain/documents';
import { conflictOf, matchCompanies, type CompanyRef } from '../../src/koppelingen/nmbrs-mijnkantoor/domain/matching';
import { periodLabel } from '../../src/koppelingen/nmbrs-mijnkantoor/domain/naming';
import type { NmbrsCompany } from '../../src/systems/nmbrs/client';
import { alive, eachLimited, heartbeat, retrying } from '../support';
import type { Context, DocumentState } from './context';
import type { CycleIds, ScanResult, WorkItem } from './contract';

/** Companies listed at once (each a few Nmbrs list calls). */
const COMPANY_CONCURRENCY = 4;
const MAX_REASONS = 20;

export const documentId = (koppelingId: string, kind: string, companyId: number, sourceId: number) => `${koppelingId}|${kind}|${companyId}|${sourceId}`;

/** The Nmbrs companies of every debtor the login sees (List_GetByDebtor per debtor). */
export async function allCompanies(nmbrs: Awaited<ReturnType<Context['nmbrs']>>): Promise<NmbrsCompany[]> {
  const debtors = await retrying(() => nmbrs.listDebtors());
  const out: NmbrsCompany[] = [];
  for (const d of debtors) {
    heartbeat();
    out.push(...(await retrying(() => nmbrs.listCompaniesByDebtor(d.id))));
  }
  return out;
}

export const companyRef = (c: NmbrsCompany): CompanyRef => ({ id: c.id, number: c.number, name: c.name });

export function scan(ctx: Context) {
  return async function nmkScan(input: CycleIds): Promise<ScanResult> {
    const l = await ctx.load(input.koppelingId);
    const s = l.settings;
    const result: ScanResult = { companies: 0, matched: 0, work: [], unchanged: 0, waiting: 0, waitingReasons: [], conflicts: [] };
    const wait = (reason: string) => {
      result.waiting++;
      if (result.waitingReasons.length < MAX_REASONS) result.waitingReasons.push(reason);
    };
    return alive(async () => {
      const [nmbrs, mk] = await Promise.all([ctx.nmbrs(l), ctx.mijnkantoor(l)]);
      const customers = await retrying(() => mk.listCustomers());
      const companies = await allCompanies(nmbrs);
      result.companies = companies.length;
      const tijdvakOf = new Map(companies.map((c) => [c.id, c.loonaangifteTijdvak]));
      const matches = matchCompanies(companies.map(companyRef), customers, await ctx.companyLinks(l.k._id));
      for (const m of matches) {
        const conflict = conflictOf(m, s.numberMustMatch);
        if (conflict) result.conflicts.push(conflict);
      }
      const matched = matches.flatMap((m) => (m.kind === 'match' ? [m] : []));
      result.matched = matched.length;
      const states = new Map((await ctx.documents().find({ koppelingId: l.k._id }).toArray()).map((d: DocumentState) => [d._id, d]));
      const thisYear = localParts(new Date()).year;
      const years = Array.from({ length: Math.max(0, thisYear - s.syncFromYear + 1) }, (_, i) => s.syncFromYear + i);
      const need = (kind: WorkItem['kind'], companyId: number, sourceId: number, fingerprint: string) => {
        const st = states.get(documentId(l.k._id, kind, companyId, sourceId));
        if (st?.hash && st.fingerprint === fingerprint) {
          result.unchanged++;
          return false;
        }
        return true;
      };

      await eachLimited(matched, COMPANY_CONCURRENCY, async ({ company, customer }) => {
        for (const year of years) {
          heartbeat({ companyId: company.id, year });
          if (s.fetch.loonstroken || s.fetch.sepa) {
            const runs = await retrying(() => nmbrs.listRuns(company.id, year));
            for (const run of runs) {
              if (s.lockedRunsOnly && !run.isLocked) {
                wait(`${company.name}: run ${run.number} (${periodLabel(run.year, run.periodStart, run.periodEnd)}) is nog niet vergrendeld in Nmbrs.`);
                continue;
              }
              const fp = runFingerprint(run);
              const base = { companyId: company.id, customerId: customer.id, year, sourceId: run.id, fingerprint: fp, runNumber: run.number, periodStart: run.periodStart, periodEnd: run.periodEnd };
              const label = `${company.name} run ${run.number} (${periodLabel(run.year, run.periodStart, run.periodEnd)})`;
              if (s.fetch.loonstroken && need('loonstroken', company.id, run.id, fp)) result.work.push({ ...base, kind: 'loonstroken', label: `Loonstroken ${label}` });
              if (s.fetch.sepa && need('sepa', company.id, run.id, fp)) result.work.push({ ...base, kind: 'sepa', label: `SEPA-bestand ${label}` });
            }
          }
          if (s.fetch.loonaangiftes) {
            const list = await retrying(() => nmbrs.listWageTaxes(company.id, year));
            for (const w of list) {
              if (!statusAllowed(w.status, s.loonaangifteStatuses)) {
                wait(`${company.name}: loonaangifte ${periodLabel(w.year, w.period)} heeft status "${w.status}" (opgehaald wordt: ${s.loonaangifteStatuses.join(', ')}).`);
                continue;
              }
              const fp = wageTaxFingerprint(w);
              if (!need('loonaangiftes', company.id, w.id, fp)) continue;
              result.work.push({
                kind: 'loonaangiftes',
                companyId: company.id,
                customerId: customer.id,
                year: w.year,
                sourceId: w.id,
                fingerprint: fp,
                periodStart: w.period,
                periodEnd: w.period,
                tijdvak: tijdvakOf.get(company.id) ?? 'Month',
                correction: isCorrection(w),
                label: `Loonaangifte ${company.name} ${periodLabel(w.year, w.period)}`,
              });
            }
          }
        }
      });
      result.work.sort((a, b) => a.companyId - b.companyId || a.year - b.year || a.periodStart - b.periodStart || a.kind.localeCompare(b.kind) || a.sourceId - b.sourceId);
      return result;
    });
  };
}

/**
 * The kill soak's knowledge of Nmbrs → Visma eAccounting (scripts/soak): the demo company 1001 in
 * the Nmbrs simulator, sent to "EB Bedrijf B.V." in the eAccounting simulator over a Visma
 * connection authorised the way a user does it (our authorise link → login → Toestaan → company →
 * our callback page, src/dev/browser.ts). Load: journals recalculated (each a reversal plus a new
 * version) and now and then a new locked run. Check: eAccounting holds every voucher reference once,
 * and every locked run in the sync range nets, per account, to its current journal (a missing
 * voucher or correction shows as a difference).
 */
import { Browser } from '../../dev/browser';
import { DEMO_COMPANIES, DEMO_EMAIL, DEMO_PASSWORD } from '../../systems/eaccounting/simulator/demo';
import { DEMO_USER, DEMO_YEAR, EB_BEDRIJF_ID } from '../../systems/nmbrs/simulator/demo';
import type { KoppelingSoak, SoakContext } from '../koppeling';

interface SimRun {
  id: number;
  companyId: number;
  year: number;
  isLocked: boolean;
  journal: Array<{ lines: Array<{ dim1: string; cents: number; debitCredit: string }> }>;
}

interface Voucher {
  VoucherText: string;
  Rows: Array<{ AccountNumber: number; DebitAmount: number; CreditAmount: number }>;
}

async function lockedRuns(ctx: SoakContext): Promise<SimRun[]> {
  const state = await ctx.control<{ runs: SimRun[] }>('nmbrs', 'GET', '/state');
  return state.runs.filter((r) => r.companyId === EB_BEDRIJF_ID && r.isLocked && r.year >= DEMO_YEAR);
}

/** The reference a voucher text starts with (NMBRS-<company>-<year>-<run>[-T<n>][-V<n>][-TB]). */
const referenceOf = (v: Voucher) => v.VoucherText.split(' ')[0];

export const nmbrsEaccountingSoak: KoppelingSoak = {
  systems: ['eaccounting', 'nmbrs'],
  async create(ctx) {
    const conn = await ctx.api<{ id: string }>('POST', '/connections', { tenantId: 'soak', system: 'eaccounting', name: 'Visma eAccounting (soak)' });
    const b = new Browser();
    const login = await b.go(`${ctx.admin.url}/connections/${conn.id}/authorize`, { headers: { 'x-api-key': ctx.admin.key } });
    const consent = await b.submit(login, { Email: DEMO_EMAIL, Password: DEMO_PASSWORD });
    const picker = await b.submit(consent, {}, { name: 'consent', value: 'allow' });
    const done = await b.submit(picker, { CompanyId: DEMO_COMPANIES.ebBedrijf });
    if (!done.html.includes('Autorisatie gelukt')) throw new Error(`eAccounting authorisation failed at ${done.url}: ${done.html.slice(0, 300)}`);
    return {
      settings: { nmbrsCompanyId: EB_BEDRIJF_ID, syncFromYear: DEMO_YEAR, syncFromPeriod: 1 },
      credentials: { nmbrs: { username: DEMO_USER.username, token: DEMO_USER.token, domain: DEMO_USER.domain } },
      connections: { eaccounting: conn.id },
    };
  },
  async load(ctx, round) {
    if (round === 0) return; // the demo's locked runs are the first sync
    if (round % 2 === 0) {
      const runs = await lockedRuns(ctx);
      const run = runs[Math.floor(ctx.random() * runs.length)];
      await ctx.control('nmbrs', 'POST', `/runs/${run.id}/recalculate`, {});
    }
    if (round % 15 === 0) {
      const period = 10 + Math.floor(ctx.random() * 3);
      await ctx.control('nmbrs', 'POST', `/companies/${EB_BEDRIJF_ID}/runs`, { year: DEMO_YEAR, periodStart: period, periodEnd: period, isLocked: true, grossSalary: 12_000 + round });
    }
  },
  async writes(ctx) {
    return (await ctx.control<{ voucherPosts: number }>('eaccounting', 'GET', '/stats')).voucherPosts ?? 0;
  },
  async check(ctx) {
    const vouchers = (await ctx.control<Voucher[]>('eaccounting', 'GET', `/companies/${DEMO_COMPANIES.ebBedrijf}/vouchers`)).filter((v) =>
      referenceOf(v).startsWith(`NMBRS-${EB_BEDRIJF_ID}-`),
    );
    const refs = vouchers.map(referenceOf);
    const duplicates = refs.length - new Set(refs).size;
    const runs = await lockedRuns(ctx);
    const off: number[] = [];
    for (const run of runs) {
      const base = `NMBRS-${EB_BEDRIJF_ID}-${run.year}-${run.id}`;
      const net: Record<string, number> = {};
      for (const tx of run.journal) {
        for (const l of tx.lines) net[l.dim1] = (net[l.dim1] ?? 0) + (l.debitCredit === 'debit' ? l.cents : -l.cents);
      }
      for (const v of vouchers.filter((x) => referenceOf(x) === base || referenceOf(x).startsWith(`${base}-`))) {
        for (const r of v.Rows) {
          const code = String(r.AccountNumber);
          net[code] = (net[code] ?? 0) - (Math.round(r.DebitAmount * 100) - Math.round(r.CreditAmount * 100));
        }
      }
      if (Object.values(net).some((c) => c !== 0)) off.push(run.id);
    }
    return {
      expected: runs.length,
      items: vouchers.length,
      duplicates,
      missing: off.length,
      detail: `${vouchers.length} vouchers for ${runs.length} locked runs${off.length ? `; runs not netting to their journal: ${off.join(', ')}` : ', every run nets to its journal'}`,
    };
  },
};

/**
 * The kill soak's knowledge of Nmbrs → e-Boekhouden (scripts/soak): the demo company 1001 in the
 * Nmbrs simulator, booked into the demo administration. Load: journals recalculated (each a
 * reversal plus a new version) and now and then a new locked run. Check: e-Boekhouden holds every
 * memoriaal reference once, and every locked run in the sync range nets, per grootboekrekening, to
 * its current journal (a missing booking or correction shows as a difference).
 */
import { DEMO_SECURITY_CODE_1, DEMO_SECURITY_CODE_2, DEMO_USERNAME } from '../../systems/eboekhouden/simulator/demo';
import { DEMO_USER, DEMO_YEAR, EB_BEDRIJF_ID } from '../../systems/nmbrs/simulator/demo';
import type { KoppelingSoak, SoakContext } from '../koppeling';

/** The demo's run of period 9 uses looncode 4105, which the demo chart lacks: mapped here. */
const MAPPING: Record<string, string> = { '4105': '4000' };

interface SimRun {
  id: number;
  companyId: number;
  year: number;
  periodStart: number;
  isLocked: boolean;
  journal: Array<{ lines: Array<{ dim1: string; cents: number; debitCredit: string }> }>;
}

async function lockedRuns(ctx: SoakContext): Promise<SimRun[]> {
  const state = await ctx.control<{ runs: SimRun[] }>('nmbrs', 'GET', '/state');
  return state.runs.filter((r) => r.companyId === EB_BEDRIJF_ID && r.isLocked && r.year >= DEMO_YEAR);
}

export const nmbrsEboekhoudenSoak: KoppelingSoak = {
  systems: ['eboekhouden', 'nmbrs'],
  async create() {
    return {
      settings: { nmbrsCompanyId: EB_BEDRIJF_ID, syncFromYear: DEMO_YEAR, syncFromPeriod: 1 },
      mapping: MAPPING,
      credentials: {
        nmbrs: { username: DEMO_USER.username, token: DEMO_USER.token, domain: DEMO_USER.domain },
        eboekhouden: { username: DEMO_USERNAME, securityCode1: DEMO_SECURITY_CODE_1, securityCode2: DEMO_SECURITY_CODE_2 },
      },
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
    return (await ctx.control<{ calls: Record<string, number> }>('eboekhouden', 'GET', '/stats')).calls.AddMutatie ?? 0;
  },
  async check(ctx) {
    const muts = (await ctx.control<Array<{ Boekstuk?: string; MutatieRegels: Array<{ BedragInclBTW: number; TegenrekeningCode: string }> }>>('eboekhouden', 'GET', '/mutaties')).filter((m) =>
      m.Boekstuk?.startsWith(`NMBRS-${EB_BEDRIJF_ID}-`),
    );
    const refs = muts.map((m) => m.Boekstuk!);
    const duplicates = refs.length - new Set(refs).size;
    const runs = await lockedRuns(ctx);
    const off: number[] = [];
    for (const run of runs) {
      const net: Record<string, number> = {};
      for (const tx of run.journal) {
        for (const l of tx.lines) {
          const code = MAPPING[l.dim1] ?? l.dim1;
          net[code] = (net[code] ?? 0) + (l.debitCredit === 'debit' ? l.cents : -l.cents);
        }
      }
      for (const m of muts.filter((x) => x.Boekstuk?.startsWith(`NMBRS-${EB_BEDRIJF_ID}-${run.year}-${run.id}`))) {
        for (const r of m.MutatieRegels) net[r.TegenrekeningCode] = (net[r.TegenrekeningCode] ?? 0) - Math.round(r.BedragInclBTW * 100);
      }
      if (Object.values(net).some((v) => v !== 0)) off.push(run.id);
    }
    return {
      expected: runs.length,
      items: muts.length,
      duplicates,
      missing: off.length,
      detail: `${muts.length} memorialen for ${runs.length} locked runs${off.length ? `; runs not netting to their journal: ${off.join(', ')}` : ', every run nets to its journal'}`,
    };
  },
};

/**
 * The kill soak's knowledge of Nmbrs ↔ Mijn Kantoor (scripts/soak): the demo koppeling (both demo
 * companies into the demo office). Load: runs recalculated (each a new version of its payslips and
 * SEPA file) and now and then a new locked run. Check: no document is in the dossier twice (same
 * name, or the same content under two names for one run), and every locked run has its payslips
 * and its SEPA file filed.
 */
import { DEMO_TENANT } from '../../systems/mijnkantoor/simulator/demo';
import { DEMO_YEAR, EB_BEDRIJF_ID } from '../../systems/nmbrs/simulator/demo';
import type { KoppelingSoak, SoakContext } from '../koppeling';
import { demoCredentials, demoSettings } from './demo';
import { payslipsName, sepaName } from './domain/naming';

interface SimRun {
  id: number;
  companyId: number;
  number: number;
  year: number;
  periodStart: number;
  periodEnd: number;
  isLocked: boolean;
}

interface Item {
  customer_id: string;
  name: string;
  sha256: string;
  dossier_directory_id: string;
}

async function lockedRuns(ctx: SoakContext): Promise<SimRun[]> {
  const state = await ctx.control<{ runs: SimRun[] }>('nmbrs', 'GET', '/state');
  return state.runs.filter((r) => r.isLocked && r.year >= DEMO_YEAR);
}

/** Name without " (versie N)" and extension: one source document. */
const baseOf = (name: string) => name.replace(/ \(versie \d+\)/, '').replace(/\.\w+$/, '');

export const nmbrsMijnkantoorSoak: KoppelingSoak = {
  systems: ['mijnkantoor', 'nmbrs'],
  async create() {
    const c = demoCredentials();
    return {
      settings: { ...demoSettings(), fetch: { loonaangiftes: true, loonstroken: true, sepa: true } },
      credentials: { nmbrs: c.nmbrs, mijnkantoor: c.mijnkantoor },
    };
  },
  async load(ctx, round) {
    if (round === 0) return;
    if (round % 2 === 0) {
      const runs = await lockedRuns(ctx);
      const run = runs[Math.floor(ctx.random() * runs.length)];
      await ctx.control('nmbrs', 'POST', `/runs/${run.id}/recalculate`, {});
    }
    if (round % 15 === 0) {
      const period = 11 + Math.floor(ctx.random() * 2);
      await ctx.control('nmbrs', 'POST', `/companies/${EB_BEDRIJF_ID}/runs`, { year: DEMO_YEAR, periodStart: period, periodEnd: period, isLocked: true });
    }
  },
  async writes(ctx) {
    return (await ctx.control<{ calls: Record<string, number> }>('mijnkantoor', 'GET', '/stats')).calls['POST /dossier_items'] ?? 0;
  },
  async check(ctx) {
    const items = await ctx.control<Item[]>('mijnkantoor', 'GET', `/tenants/${DEMO_TENANT}/items`);
    const names = items.map((i) => `${i.customer_id}|${i.name}`);
    let duplicates = names.length - new Set(names).size;
    const contents = items.map((i) => `${i.customer_id}|${baseOf(i.name)}|${i.sha256}`);
    duplicates += contents.length - new Set(contents).size;
    const twice = (keys: string[]) => keys.filter((k, i) => keys.indexOf(k) !== i);
    const dupNames = [...new Set([...twice(names), ...twice(contents).map((k) => items[contents.indexOf(k)].name)])];
    const runs = await lockedRuns(ctx);
    const missing: string[] = [];
    for (const r of runs) {
      for (const name of [payslipsName(r), sepaName(r)]) {
        if (!items.some((i) => baseOf(i.name) === baseOf(name))) missing.push(`${r.companyId}/${r.id} ${name}`);
      }
    }
    return {
      expected: runs.length * 2,
      items: items.length,
      duplicates,
      missing: missing.length,
      detail: `${items.length} documents for ${runs.length} locked runs (payslips and SEPA, all versions, plus loonaangiftes)${missing.length ? `; missing: ${missing.slice(0, 5).join(', ')}` : ''}${dupNames.length ? `; twice: ${dupNames.slice(0, 6).join(', ')}` : ''}`,
    };
  },
};

/**
 * The kill soak's knowledge of e-Boekhouden ↔ WerkbonApp (scripts/soak): released werkbonnen
 * (Compleet, workstatus "1 naar E-boekhouden") appear in the WerkbonApp simulator, every fourth for
 * a debtor e-Boekhouden does not know yet. Check: one invoice per werkbon with its number, booked
 * once (one mutation each), every new debtor created once, and every werkbon Afgehandeld.
 */
import { DEMO_FACTUURSJABLOON, DEMO_SECURITY_CODE_1, DEMO_SECURITY_CODE_2, DEMO_USERNAME } from '../../systems/eboekhouden/simulator/demo';
import { DEMO_TOKEN } from '../../systems/werkbonapp/simulator/demo';
import type { KoppelingSoak } from '../koppeling';

const PREFIX = 'WB-SOAK-';
const FIRST_LOAD = 12;
const PER_ROUND = 2;

let next = 0;

function werkbon(n: number) {
  const fresh = n % 4 === 3;
  return {
    WorkorderNo: `${PREFIX}${String(n).padStart(5, '0')}`,
    CustomerDebtorNrInvoice: fresh ? `SOAK${String(n).padStart(5, '0')}` : ['REL001', 'REL002', 'REL003'][n % 3],
    ...(fresh ? { CustomerNameInvoice: `Soak klant ${n}`, CustomerStreetInvoice: 'Marktstraat', CustomerStreetNoInvoice: String(n), CustomerZIPInvoice: '3511 AA', CustomerCityInvoice: 'Utrecht' } : {}),
    status: 'Compleet',
    WorkStatus: '1',
    Workperiods: [{ WorkDate: '12-03-2025', BeginTime: '08:00', EndTime: `${String(9 + (n % 5)).padStart(2, '0')}:30`, HourType: ['ARB', 'ARBM', 'SPOED'][n % 3], EmployeeNr: '11' }],
    Materials: [{ MaterialCode: 'MAT-WCD', MaterialNr: 1 + (n % 4), MaterialPrice: 8.95, MaterialName: 'Wandcontactdoos dubbel met randaarde', MaterialUnit: 'Stuk' }],
  };
}

const count = (xs: string[]) => {
  const m = new Map<string, number>();
  for (const x of xs) m.set(x, (m.get(x) ?? 0) + 1);
  return m;
};

export const eboekhoudenWerkbonappSoak: KoppelingSoak = {
  systems: ['eboekhouden', 'werkbonapp'],
  async create() {
    return {
      settings: { export: { factuursjabloon: DEMO_FACTUURSJABLOON, verwerkenInBoekhouding: true, exporteerRelaties: true } },
      credentials: {
        eboekhouden: { username: DEMO_USERNAME, securityCode1: DEMO_SECURITY_CODE_1, securityCode2: DEMO_SECURITY_CODE_2 },
        werkbonapp: { token: DEMO_TOKEN },
      },
    };
  },
  async load(ctx, round) {
    const n = round === 0 ? FIRST_LOAD : PER_ROUND;
    await ctx.control('werkbonapp', 'POST', '/workorders', Array.from({ length: n }, () => werkbon(next++)));
  },
  async writes(ctx) {
    const [e, w] = await Promise.all([
      ctx.control<{ calls: Record<string, number> }>('eboekhouden', 'GET', '/stats'),
      ctx.control<{ calls: Record<string, number> }>('werkbonapp', 'GET', '/stats'),
    ]);
    return (e.calls.AddFactuur ?? 0) + (e.calls.AddRelatie ?? 0) + (w.calls['GET GetWorkorder'] ?? 0);
  },
  async check(ctx) {
    const released = (await ctx.control<Array<{ WorkorderNo: string; CustomerDebtorNrInvoice: string; WorkStatus: string; status: string }>>('werkbonapp', 'GET', '/workorders')).filter(
      (w) => w.WorkorderNo.startsWith(PREFIX) && w.WorkStatus === '1',
    );
    const facturen = (await ctx.control<Array<{ Factuurnummer: string }>>('eboekhouden', 'GET', '/facturen')).filter((f) => f.Factuurnummer.startsWith(PREFIX));
    const mutaties = (await ctx.control<Array<{ Factuurnummer?: string }>>('eboekhouden', 'GET', '/mutaties')).filter((m) => m.Factuurnummer?.startsWith(PREFIX));
    const relaties = (await ctx.control<Array<{ Code: string }>>('eboekhouden', 'GET', '/relaties')).filter((r) => r.Code.startsWith('SOAK'));
    const newDebtors = new Set(released.map((w) => w.CustomerDebtorNrInvoice).filter((c) => c.startsWith('SOAK')));
    const f = count(facturen.map((x) => x.Factuurnummer));
    const m = count(mutaties.map((x) => x.Factuurnummer!));
    const r = count(relaties.map((x) => x.Code));
    const dup = (c: Map<string, number>) => [...c.values()].reduce((a, v) => a + v - 1, 0);
    const missingInvoices = released.filter((w) => !f.has(w.WorkorderNo)).length;
    const missingBookings = released.filter((w) => !m.has(w.WorkorderNo)).length;
    const missingRelaties = [...newDebtors].filter((c) => !r.has(c)).length;
    const open = released.filter((w) => w.status !== 'Afgehandeld').length;
    return {
      expected: 2 * released.length + newDebtors.size,
      items: facturen.length + mutaties.length + relaties.length,
      duplicates: dup(f) + dup(m) + dup(r),
      missing: missingInvoices + missingBookings + missingRelaties + open,
      detail:
        `${released.length} werkbonnen: ${facturen.length} invoices, ${mutaties.length} bookings, ${relaties.length} new relaties (${newDebtors.size} new debtors)` +
        (missingInvoices + missingBookings + missingRelaties + open ? `; missing invoices ${missingInvoices}, bookings ${missingBookings}, relaties ${missingRelaties}, not Afgehandeld ${open}` : ''),
    };
  },
};

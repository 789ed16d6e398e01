/**
 * Demo koppeling e-Boekhouden ↔ WerkbonApp for `npm start`: the demo accounts of both simulators.
 * The WerkbonApp demo holds three released Compleet werkbonnen (REL001, REL002 and REL003, which
 * exists only in WerkbonApp), one Compleet but not released and one still with the employee; the
 * first cycle imports relaties, uursoorten and materialen and turns the three into invoices.
 */
import { EBOEKHOUDEN_WERKBONAPP, werkbonappSettings } from './settings';
import { DEMO_FACTUURSJABLOON, DEMO_SECURITY_CODE_1, DEMO_SECURITY_CODE_2, DEMO_USERNAME } from '../../systems/eboekhouden/simulator/demo';
import { DEMO_TOKEN } from '../../systems/werkbonapp/simulator/demo';
import type { DemoSeeder } from '../../demo';

export const seedEboekhoudenWerkbonapp: DemoSeeder = async ({ tenantId, service, koppelingen }) => {
  const [, existing] = await koppelingen.list({ tenantId, type: EBOEKHOUDEN_WERKBONAPP, limit: 1, offset: 0 });
  if (existing > 0) return;
  await service.create({
    tenantId,
    type: EBOEKHOUDEN_WERKBONAPP,
    name: 'Demo Installatietechniek: e-Boekhouden ↔ WerkbonApp',
    settings: werkbonappSettings.parse({
      import: { relaties: true, materialen: true, uursoorten: true },
      export: { factuur: true, factuursjabloon: DEMO_FACTUURSJABLOON, betalingstermijn: 14, verwerkenInBoekhouding: true, exporteerRelaties: true },
    }),
    credentials: {
      eboekhouden: { username: DEMO_USERNAME, securityCode1: DEMO_SECURITY_CODE_1, securityCode2: DEMO_SECURITY_CODE_2 },
      werkbonapp: { token: DEMO_TOKEN },
    },
  });
};

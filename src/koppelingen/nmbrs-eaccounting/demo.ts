/**
 * Demo koppeling Nmbrs → Visma eAccounting for `npm start`: Nmbrs demo company 1001 "EB Bedrijf"
 * from 2026 period 1, on a new Visma connection that is not authorised yet, so the koppeling
 * waits in WAITING_REAUTH with the authorise link. Open it (GET /connections/<id>/authorize with the
 * demo key), log in with the eAccounting simulator's demo account (demo@koppelwerk.nl /
 * demo-visma-wachtwoord), click "Toestaan", pick "EB Bedrijf B.V." and the runs are sent.
 */
import { DEMO_USER, DEMO_YEAR, EB_BEDRIJF_ID } from '../../systems/nmbrs/simulator/demo';
import { oauth2SystemFor } from '../../oauth/systems';
import type { DemoSeeder } from '../../demo';
import { NMBRS_EACCOUNTING, nmbrsEaccountingSettings } from './settings';

export const seedNmbrsEaccounting: DemoSeeder = async ({ tenantId, service, koppelingen, connections }) => {
  // Only with an OAuth2 client (the simulator's demo client, or one configured for Visma itself).
  if (!connections || !oauth2SystemFor('eaccounting')) return;
  const [, existing] = await koppelingen.list({ tenantId, type: NMBRS_EACCOUNTING, limit: 1, offset: 0 });
  if (existing > 0) return;
  const { doc } = await connections.create({ tenantId, system: 'eaccounting', name: 'Visma eAccounting (demo)' });
  await service.create({
    tenantId,
    type: NMBRS_EACCOUNTING,
    name: 'EB Bedrijf: Nmbrs journaalposten → Visma eAccounting',
    settings: nmbrsEaccountingSettings.parse({ nmbrsCompanyId: EB_BEDRIJF_ID, syncFromYear: DEMO_YEAR, syncFromPeriod: 1 }),
    credentials: { nmbrs: { username: DEMO_USER.username, token: DEMO_USER.token, domain: DEMO_USER.domain } },
    connections: { eaccounting: doc._id },
  });
};

/**
 * Demo koppeling eAccounting → Visma.net for `npm start`: the Visma.net simulator's demo
 * administration (client credentials of its demo service client) and a new eAccounting connection
 * that is not authorised yet, so the koppeling waits in WAITING_REAUTH with the authorise link.
 * Open it (GET /connections/<id>/authorize with the demo key), log in with the eAccounting
 * simulator's demo account (demo@koppelwerk.nl / demo-visma-wachtwoord), click "Toestaan", pick
 * "Fietsenwinkel De Spaak": the shop's articles become Visma.net items and its invoiced order a
 * confirmed sales order (the SLOT-003 article shows the "simple products only" note).
 */
import { oauth2SystemFor } from '../../oauth/systems';
import { DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_TENANT_ID } from '../../systems/vismanet/simulator/demo';
import type { DemoSeeder } from '../../demo';
import { EACCOUNTING_VISMANET, eaccountingVismanetSettings } from './settings';

export const seedEaccountingVismanet: DemoSeeder = async ({ tenantId, service, koppelingen, connections }) => {
  // Only with an OAuth2 client for eAccounting (the simulator's demo client, or one configured for Visma itself).
  if (!connections || !oauth2SystemFor('eaccounting')) return;
  const [, existing] = await koppelingen.list({ tenantId, type: EACCOUNTING_VISMANET, limit: 1, offset: 0 });
  if (existing > 0) return;
  const { doc } = await connections.create({ tenantId, system: 'eaccounting', name: 'Visma eAccounting webwinkel (demo)' });
  await service.create({
    tenantId,
    type: EACCOUNTING_VISMANET,
    name: 'Fietsenwinkel De Spaak: eAccounting → Visma.net',
    settings: eaccountingVismanetSettings.parse({ flows: { products: true, orders: true, customers: true }, customers: { businessClass: 'BINNENLAND' } }),
    credentials: { vismanet: { clientId: DEMO_CLIENT_ID, clientSecret: DEMO_CLIENT_SECRET, tenantId: DEMO_TENANT_ID } },
    connections: { eaccounting: doc._id },
  });
};

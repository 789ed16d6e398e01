/**
 * Demo koppeling Nmbrs ↔ Mijn Kantoor for `npm start`: the demo accounts of both simulators,
 * inbound, documents from 2026. The first cycle files EB Bedrijf's and Bakkerij De Korst's
 * payslips, SEPA files and locked loonaangiftes into the "Salarisadministratie" leaves, keeps their
 * employees as contacts, and reports Nmbrs-less relations nowhere (inbound looks from Nmbrs).
 * A bulk jaarwerk request for 2025 (EB Bedrijf's closed year) shows the seed's step 3: the demo
 * template has the AnnualDocument rights off, so the relation fails with the fix; switch them on
 * (PUT /_control/users/demo@koppelwerk.nl/rights/<call> on the Nmbrs simulator) and retry.
 */
import type { DemoSeeder } from '../../demo';
import { DEMO_DIRECTORIES, DEMO_TENANT, DEMO_TOKEN } from '../../systems/mijnkantoor/simulator/demo';
import { DEMO_USER, DEMO_YEAR } from '../../systems/nmbrs/simulator/demo';
import { NMBRS_MIJNKANTOOR, nmbrsMijnkantoorSettings } from './settings';

export const demoSettings = () =>
  nmbrsMijnkantoorSettings.parse({
    direction: 'inbound',
    syncFromYear: DEMO_YEAR,
    directories: {
      loonstroken: DEMO_DIRECTORIES.loonstroken,
      sepa: DEMO_DIRECTORIES.sepa,
      loonaangiftes: DEMO_DIRECTORIES.loonaangiftes,
      jaarwerk: DEMO_DIRECTORIES.jaarwerk,
    },
  });

/** The seed's names for the Nmbrs credentials (Client ID, Client Secret, Tenant Key, Tenant Name). */
export const demoCredentials = () => ({
  nmbrs: { clientId: DEMO_USER.username, clientSecret: DEMO_USER.token, tenantKey: DEMO_USER.domain, tenantName: 'Administratiekantoor De Vries' },
  mijnkantoor: { token: DEMO_TOKEN, tenant: DEMO_TENANT },
});

export const seedNmbrsMijnkantoor: DemoSeeder = async ({ tenantId, service, koppelingen }) => {
  const [, existing] = await koppelingen.list({ tenantId, type: NMBRS_MIJNKANTOOR, limit: 1, offset: 0 });
  if (existing > 0) return;
  const creds = demoCredentials();
  await service.create({
    tenantId,
    type: NMBRS_MIJNKANTOOR,
    name: 'Nmbrs ↔ Mijn Kantoor: loonstroken, SEPA, loonaangiftes en jaarwerk',
    settings: demoSettings(),
    credentials: {
      nmbrs: { username: creds.nmbrs.clientId, token: creds.nmbrs.clientSecret, domain: creds.nmbrs.tenantKey, tenantName: creds.nmbrs.tenantName },
      mijnkantoor: creds.mijnkantoor,
    },
  });
};

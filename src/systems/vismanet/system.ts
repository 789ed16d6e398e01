/**
 * Visma.net ERP (REST API v1 + SalesOrders API v3, Visma Connect client credentials per tenant):
 * customers, inventory, branches, sales orders. Contract: /work/shared/contracts/visma.md §1.2, §3;
 * seed 004.
 *
 * One home for three hosts: Visma Connect (the tokens), the ERP API and the SalesOrders service.
 * Against the real API the client derives the other two from the base URL; against the simulator
 * all three are the simulator's own host.
 */
import { z } from 'zod';
import { defineSystem } from '../system';
import { VISMANET } from './identity';

export const VISMANET_REAL_API = 'https://api.finance.visma.net';
export const VISMANET_REAL_IDENTITY = 'https://connect.visma.com';
export const VISMANET_REAL_SALESORDER = 'https://salesorder.visma.net';

/** A service integration (client credentials) approved for one Company tenant (contract §1.2). */
export const vismanetCredentialsSchema = z
  .object({
    clientId: z.string().trim().min(1, 'Client ID is verplicht').max(200),
    clientSecret: z.string().min(1, 'Client secret is verplicht').max(500),
    tenantId: z.string().trim().min(1, 'Tenant ID is verplicht').max(100),
  })
  .strict();
export type VismanetCredentials = z.infer<typeof vismanetCredentialsSchema>;

export const vismanetSystem = defineSystem({
  ...VISMANET,
  rateBudget: {
    // INFERRED (§3.4): the hourly limit per company + client is only published in the headers; 10
    // requests a second keeps a busy koppeling inside the simulator's 20 000 an hour for the first
    // half hour, and a 429 with Retry-After makes it wait for the window.
    perSecond: 10,
    // INFERRED: a few orders at once per worker process.
    concurrency: 8,
  },
  baseUrl: { env: 'VISMANET_BASE_URL', default: VISMANET_REAL_API },
  credentials: vismanetCredentialsSchema,
  credentialHelp: {
    oorzaak: 'Er zijn geen (volledige) gegevens van de service-integratie met Visma.net ERP ingevuld bij de koppeling.',
    oplossing:
      'Vul de Client ID en het client secret in van de applicatie in het Visma Developer Portal (met de scopes voor klanten, artikelen en verkooporders), en de Tenant ID van het bedrijf (de Company-tenant, niet de Customer-tenant) waarin de Integration Administrator de applicatie heeft goedgekeurd in de Visma App Store.',
  },
  simulator: {
    portEnv: 'VISMANET_SIM_PORT',
    defaultPort: 4107,
    name: 'Visma.net ERP simulator (Connect token + ERP v1 + SalesOrders v3)',
    showUrl: (url) => `${url}/_control/state`,
    start: async (opts) => (await import('./simulator')).startVismanetSimulator(opts),
  },
});

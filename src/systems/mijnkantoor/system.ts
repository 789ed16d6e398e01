/** Mijn Kantoor (REST, `/v1`): customers and the dossier. Contract: /work/shared/contracts/market.md §1; seed 001. */
import { z } from 'zod';
import { defineSystem } from '../system';
import { MIJNKANTOOR } from './identity';

/** The Public API's access token and the tenant it belongs to (`Authorization: Bearer` + `X-Tenant`). */
export const mijnkantoorCredentials = z
  .object({
    token: z.string().trim().min(8, 'API-token is verplicht').max(500),
    tenant: z.string().trim().min(1, 'Tenant is verplicht').max(100),
  })
  .strict();
export type MijnkantoorCredentials = z.infer<typeof mijnkantoorCredentials>;

export const mijnkantoorSystem = defineSystem({
  ...MIJNKANTOOR,
  rateBudget: {
    // INFERRED: no limit is published; the import tool retries any non-auth error, so we stay modest.
    perSecond: 20,
    // Uploads carry PDFs of up to a few MB: a handful at once per worker.
    concurrency: 8,
  },
  baseUrl: { env: 'MIJNKANTOOR_BASE_URL', default: 'https://v2.api.mijnkantoorapp.nl' },
  credentials: mijnkantoorCredentials,
  credentialHelp: {
    oorzaak: 'Er is geen API-token of tenant van Mijn Kantoor ingevuld bij de koppeling.',
    oplossing: 'Vul het API-token van de Mijn Kantoor Public API en de tenant van het kantoor in bij de koppeling (Mijn Kantoor: Beheer > Integraties > Public API).',
  },
  simulator: {
    portEnv: 'MIJNKANTOOR_SIM_PORT',
    defaultPort: 4106,
    name: 'Mijn Kantoor simulator (REST)',
    showUrl: (url) => `${url}/v1`,
    start: async (opts) => (await import('./simulator')).startMijnKantoorSimulator(opts),
  },
});

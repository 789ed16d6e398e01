/** WerkbonApp (REST): work orders. Contract: /work/shared/contracts/eboekhouden-werkbonapp.md (part B); seed 003. */
import { z } from 'zod';
import { defineSystem } from '../system';
import { WERKBONAPP } from './identity';

/** The API token WerkbonApp shows at Instellingen > Externe koppelingen > e-Boekhouden. */
export const werkbonappCredentials = z.object({ token: z.string().trim().min(1, 'Token is verplicht').max(200) }).strict();
export type WerkbonappCredentials = z.infer<typeof werkbonappCredentials>;

export const werkbonappSystem = defineSystem({
  ...WERKBONAPP,
  rateBudget: {
    // INFERRED: the contract names no limit for WerkbonApp; its errors include HTTP 429 with a
    // retry-after, which the client maps to RateLimited.
    perSecond: 10,
    // INFERRED: pushes run a few batches at a time per koppeling; 20 per worker process as before.
    concurrency: 20,
  },
  baseUrl: { env: 'WERKBONAPP_BASE_URL', default: 'https://app.werkbonapp.nl' },
  credentials: werkbonappCredentials,
  credentialHelp: {
    oorzaak: 'Er is geen API-token van WerkbonApp ingevuld bij de koppeling.',
    // Seed 003: Instellingen > Externe koppelingen, then "Token gegevens".
    oplossing: 'Vul het token in dat WerkbonApp toont bij Instellingen > Externe koppelingen > e-Boekhouden.',
  },
  simulator: {
    portEnv: 'WERKBONAPP_SIM_PORT',
    defaultPort: 4103,
    name: 'WerkbonApp simulator (REST)',
    showUrl: (url) => url,
    start: async (opts) => (await import('./simulator')).startWerkbonAppSimulator(opts),
  },
});

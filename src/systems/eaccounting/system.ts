/**
 * Visma eAccounting (REST API v2, OAuth2 via Visma Online IdentityServer): bookkeeping.
 * Contract: /work/shared/contracts/visma.md §1.1, §2; seed 002.
 *
 * One home for the identity server and the API: the identity server at identity.vismaonline.com
 * issues the tokens that only this API takes (Visma.net uses another one, Visma Connect), so the
 * simulator serves both from one state, and the OAuth2 definition lives next to the client.
 */
import { z } from 'zod';
import type { OAuth2SystemDef } from '../../oauth/systems';
import { defineSystem } from '../system';
import { EACCOUNTING } from './identity';

/** What activities get from the connection: an access token, refreshed by the platform. */
export const eaccountingCredentials = z.object({ accessToken: z.string().min(1), tokenType: z.string().optional() }).strict() as unknown as z.ZodType<Record<string, string>>;
export interface EaccountingCredentials extends Record<string, string> {
  accessToken: string;
}

export const EACCOUNTING_REAL_API = 'https://eaccountingapi.vismaonline.com';
export const EACCOUNTING_REAL_IDENTITY = 'https://identity.vismaonline.com';

/** The simulator's demo client (src/systems/eaccounting/simulator/demo.ts), used only against a non-Visma base URL. */
const SIMULATOR_CLIENT = { id: 'koppelwerk', secret: 'demo-eaccounting-client-secret' };

/** The config's EACCOUNTING_* values (read loosely: src/config.ts itself derives from this registry). */
export type EaccountingOAuthConfig = Readonly<Record<string, unknown>>;
const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);

/**
 * The OAuth2 definition from config. Without EACCOUNTING_IDENTITY_URL the identity server is
 * Visma's when the API is Visma's, else the API's own host (our simulator serves both). Without a
 * client id/secret against Visma itself there is no definition (connections cannot be authorised).
 */
export function eaccountingOAuth2(config: EaccountingOAuthConfig): OAuth2SystemDef | undefined {
  const base = (str(config.EACCOUNTING_BASE_URL) ?? EACCOUNTING_REAL_API).replace(/\/$/, '');
  const real = base === EACCOUNTING_REAL_API;
  const identity = (str(config.EACCOUNTING_IDENTITY_URL) ?? (real ? EACCOUNTING_REAL_IDENTITY : base)).replace(/\/$/, '');
  const clientId = str(config.EACCOUNTING_CLIENT_ID) ?? (real ? undefined : SIMULATOR_CLIENT.id);
  const clientSecret = str(config.EACCOUNTING_CLIENT_SECRET) ?? (real ? undefined : SIMULATOR_CLIENT.secret);
  if (!clientId || !clientSecret) return undefined;
  return {
    system: EACCOUNTING.id,
    label: EACCOUNTING.label,
    authorizeUrl: `${identity}/connect/authorize`,
    tokenUrl: `${identity}/connect/token`,
    clientId,
    clientSecret,
    // Contract §1.1: ea:api is required, offline_access gives the refresh token, ea:accounting the
    // vouchers; ea:sales_readonly the articles, customers, orders, terms and units that the
    // eAccounting → Visma.net koppeling reads (§2.4; it never writes to eAccounting).
    scopes: ['ea:api', 'offline_access', 'ea:accounting', 'ea:sales_readonly'],
    pkce: true,
    // The user picks the company at login: one company per authorisation (seed 002).
    authorizeParams: { prompt: 'select_account' },
    clientAuth: 'basic',
  };
}

export const eaccountingSystem = defineSystem({
  ...EACCOUNTING,
  rateBudget: {
    // Contract §2.3: 600 requests per minute per client and endpoint. A voucher activity makes a
    // few reads and one POST per voucher; 600 activities a minute keeps the POST endpoint under it.
    perMinute: 600,
    // INFERRED: a run's vouchers go one after another; 10 runs at once per worker process.
    concurrency: 10,
  },
  baseUrl: { env: 'EACCOUNTING_BASE_URL', default: EACCOUNTING_REAL_API },
  credentials: eaccountingCredentials,
  credentialHelp: {
    oorzaak: 'Er is geen geautoriseerde verbinding met Visma eAccounting voor deze koppeling.',
    // Seed 002: Accounts tab, new account, then the grey logo → Visma login → 'Allow'.
    oplossing:
      'Vul geen wachtwoord in bij Koppelwerk: maak een verbinding met Visma eAccounting aan (POST /connections), open de autorisatielink, log in met het e-mailadres en wachtwoord van het Visma-account, kies het bedrijf en klik op "Toestaan".',
  },
  oauth2: eaccountingOAuth2,
  simulator: {
    portEnv: 'EACCOUNTING_SIM_PORT',
    defaultPort: 4104,
    name: 'Visma eAccounting simulator (identity + REST v2)',
    showUrl: (url) => `${url}/connect/authorize`,
    start: async (opts) => (await import('./simulator')).startEaccountingSimulator(opts),
  },
});

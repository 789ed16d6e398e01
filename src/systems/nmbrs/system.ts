/** Visma Nmbrs (SOAP v3): payroll. Contract: /work/shared/contracts/nmbrs.md; seed 000. */
import { z } from 'zod';
import { defineSystem } from '../system';
import { NMBRS } from './identity';

/**
 * Mijn Kantoor's Nmbrs tile names the same three values differently (seed 001 step 2): Client ID =
 * the login e-mail, Client Secret = the API token, Tenant Key = the subdomain, plus an optional
 * Tenant Name (the office's name, not needed to connect). Either spelling is accepted and stored
 * under Koppelwerk's names, so one schema serves every koppeling that talks to Nmbrs.
 */
const SEED_001_NAMES: Record<string, string> = { clientId: 'username', clientSecret: 'token', tenantKey: 'domain' };

function fromSeedNames(input: unknown): unknown {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return input;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(input)) out[SEED_001_NAMES[k] ?? k] = v;
  return out;
}

const nmbrsCredentialsObject = z
  .object({
    /** E-mail address the API user logs in with ("Client ID" in Mijn Kantoor). */
    username: z.string().email(),
    /** Gebruiker Profiel > API-token ("Client Secret" in Mijn Kantoor). */
    token: z.string().min(8),
    /** Environment subdomain (acme for acme.nmbrs.nl; "Tenant Key" in Mijn Kantoor); may be empty. */
    domain: z
      .string()
      .trim()
      .default('')
      .refine((d) => !/[./:]/.test(d), 'alleen het subdomein: "kantoor" uit kantoor.nmbrs.nl'),
    /** "Tenant Name": the office's name, for display only. */
    tenantName: z.string().trim().max(200).optional(),
  })
  .strict();

export const nmbrsCredentials = z.preprocess(fromSeedNames, nmbrsCredentialsObject) as unknown as z.ZodType<
  z.output<typeof nmbrsCredentialsObject>,
  z.ZodTypeDef,
  Record<string, string>
>;
export type NmbrsCredentials = z.infer<typeof nmbrsCredentials>;

export const nmbrsSystem = defineSystem({
  ...NMBRS,
  rateBudget: {
    // Contract nmbrs.md §4 "Rate limit": fair use, 150 calls/s, above that 0.5 s delay; whether per
    // user or global is open (Q15), so we keep well under it. One activity makes one to a few calls.
    perSecond: 50,
    // INFERRED: a scan reads one journal per run, 20 at once per worker keeps the XML parsing bounded.
    concurrency: 20,
  },
  baseUrl: { env: 'NMBRS_BASE_URL', default: 'https://api.nmbrs.nl' },
  credentials: nmbrsCredentials,
  credentialHelp: {
    oorzaak: 'Er zijn geen inloggegevens voor Visma Nmbrs opgeslagen bij deze koppeling.',
    // Seed 000: Gebruiker Profiel > API-token, username = the e-mail address known to Nmbrs.
    oplossing:
      'Vul gebruikersnaam (e-mailadres), API-token en domein van Visma Nmbrs in bij de koppeling. Het API-token staat in Visma Nmbrs rechtsboven onder Gebruiker Profiel > API-token.',
  },
  simulator: {
    portEnv: 'NMBRS_SIM_PORT',
    defaultPort: 4101,
    name: 'Nmbrs simulator (SOAP)',
    showUrl: (url) => `${url}/soap/v3/CompanyService.asmx?WSDL`,
    start: async (opts) => (await import('./simulator')).startNmbrsSimulator(opts),
  },
});

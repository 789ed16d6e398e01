/** Visma Nmbrs (SOAP v3): payroll. Contract: /work/shared/contracts/nmbrs.md; seed 000. */
import { z } from 'zod';
import { defineSystem } from '../system';
import { NMBRS } from './identity';

export const nmbrsCredentials = z
  .object({
    /** E-mail address the API user logs in with. */
    username: z.string().email(),
    /** Gebruiker Profiel > API-token. */
    token: z.string().min(8),
    /** Environment subdomain (acme for acme.nmbrs.nl); may be empty. */
    domain: z.string().default(''),
  })
  .strict();
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

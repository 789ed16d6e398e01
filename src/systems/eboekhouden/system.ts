/** e-Boekhouden.nl (legacy SOAP API): bookkeeping. Contract: /work/shared/contracts/eboekhouden-werkbonapp.md (part A); seeds 000, 003. */
import { z } from 'zod';
import { defineSystem } from '../system';
import { EBOEKHOUDEN } from './identity';

const required = (label: string) => z.string().trim().min(1, `${label} is verplicht`);

/**
 * Gebruikersnaam + beveiligingscodes 1 en 2. Contract A2 ("SecurityCode2 | GUID-formatted string;
 * SecurityCode1 is a 32-hex string"): both koppelingen check the same shapes.
 */
export const eboekhoudenCredentials = z
  .object({
    username: required('Gebruikersnaam').pipe(z.string().max(200)),
    securityCode1: required('Beveiligingscode 1').pipe(z.string().regex(/^[0-9a-fA-F]{32}$/, 'beveiligingscode 1 is 32 hexadecimale tekens')),
    securityCode2: required('Beveiligingscode 2').pipe(
      z.string().regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/, 'beveiligingscode 2 heeft de vorm xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx'),
    ),
  })
  .strict();
export type EboekhoudenCredentials = z.infer<typeof eboekhoudenCredentials>;

export const eboekhoudenSystem = defineSystem({
  ...EBOEKHOUDEN,
  rateBudget: {
    // INFERRED: contract A8 "Rate limits: none published; bursts reportedly get throttled". The
    // monthly GetMutaties cap (5,000, A8) is kept by the ledger, which asks only when uncertain.
    perSecond: 10,
    // INFERRED: a booking activity holds one session for a run or a batch of invoices; 20 per
    // worker process as before the budgets were declared.
    concurrency: 20,
  },
  baseUrl: { env: 'EBOEKHOUDEN_BASE_URL', default: 'https://soap.e-boekhouden.nl' },
  credentials: eboekhoudenCredentials,
  credentialHelp: {
    oorzaak: 'Er zijn geen inloggegevens van e-Boekhouden.nl ingevuld bij de koppeling.',
    // Seed 003: "U vindt deze gegevens in e-Boekhouden.nl via Beheer > Inrichting > Instellingen > Koppelingen > API/SOAP."
    oplossing: 'Vul gebruikersnaam en beveiligingscodes 1 en 2 in (e-Boekhouden.nl: Beheer > Inrichting > Instellingen > Koppelingen > API/SOAP).',
  },
  simulator: {
    portEnv: 'EBOEKHOUDEN_SIM_PORT',
    defaultPort: 4102,
    name: 'e-Boekhouden simulator (SOAP)',
    showUrl: (url) => `${url}/soap.asmx?WSDL`,
    start: async (opts) => (await import('./simulator')).startEboekhoudenSimulator(opts),
  },
});

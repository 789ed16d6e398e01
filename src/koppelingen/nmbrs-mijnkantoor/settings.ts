/**
 * Settings of koppeling type "nmbrs-mijnkantoor", as Mijn Kantoor's Nmbrs tile asks them (seed 001
 * steps 4–5) plus the dossier directory per document kind. Credentials are the systems' own
 * (src/systems/nmbrs: Client ID / Client Secret / Tenant Key / Tenant Name; src/systems/mijnkantoor).
 */
import { z } from 'zod';

export const NMBRS_MIJNKANTOOR = 'nmbrs-mijnkantoor';

/** The seed's warning for "directe sync" (step 4), shown when it is switched on. */
export const DIRECT_SYNC_WARNING =
  'Let op: zorg ervoor dat alle bestaande relaties in Mijn Kantoor up-to-date en kloppend zijn voordat je de directe sync aanzet. Het kan namelijk zijn dat data wordt overschreven in Nmbrs.';

const directoryId = z.string().trim().min(1).max(100);

export const nmbrsMijnkantoorSettings = z
  .object({
    /** Inkomend: Nmbrs leads, Mijn Kantoor takes over. Uitgaand: Mijn Kantoor leads, Nmbrs follows. */
    direction: z.enum(['inbound', 'outbound']).default('inbound'),
    /** "Bepaal of het nummer moet overeenkomen": a relation without a customer of the same number is reported, not created. */
    numberMustMatch: z.boolean().default(true),
    /** Relations (companies and their employees) are synchronised in the chosen direction. */
    syncRelations: z.boolean().default(true),
    /** "Kies of de volgende gegevens opgehaald moeten worden uit Nmbrs". */
    fetch: z
      .object({ loonaangiftes: z.boolean().default(true), loonstroken: z.boolean().default(true), sepa: z.boolean().default(true) })
      .strict()
      .default({}),
    /** Only loonaangiftes with one of these statuses; the seed's default is `locked`. Compared case-insensitively. */
    loonaangifteStatuses: z.array(z.string().trim().min(1).max(50)).min(1).max(20).default(['locked']),
    /** Payslips and SEPA files only of runs Nmbrs has locked (a run still open may change). */
    lockedRunsOnly: z.boolean().default(true),
    /** Outbound only: push a changed customer to Nmbrs at once (POST /webhooks/mijnkantoor/:koppelingId). */
    directSync: z.boolean().default(false),
    /** The leaf directory of the dossier per document kind (Mijn Kantoor ids; checked when saved). */
    directories: z
      .object({ loonstroken: directoryId, sepa: directoryId, loonaangiftes: directoryId, jaarwerk: directoryId })
      .strict(),
    /** The first year whose documents are filed; the hourly cycle looks at this year up to the current one. */
    syncFromYear: z.number().int().min(2000).max(2100),
    /** Outbound: the Nmbrs debtor new companies are created under (required when the login sees several). */
    nmbrsDebtorId: z.number().int().positive().optional(),
    /** The SEPA file's execution date: this day of the month after the run's last period (INFERRED default 25). */
    sepaPaymentDay: z.number().int().min(1).max(28).default(25),
    /** Relations whose annual documents are fetched at once by a bulk jaarwerk request. */
    jaarwerkConcurrency: z.number().int().min(1).max(16).default(4),
    nmbrsTimeoutMs: z.number().int().min(100).max(120_000).optional(),
    mijnkantoorTimeoutMs: z.number().int().min(100).max(120_000).optional(),
  })
  .strict()
  .superRefine((s, ctx) => {
    if (s.directSync && s.direction !== 'outbound') {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['directSync'], message: 'directe sync kan alleen bij de uitgaande richting (Mijn Kantoor leidend)' });
    }
  });
export type NmbrsMijnkantoorSettings = z.infer<typeof nmbrsMijnkantoorSettings>;

export type DocumentKind = 'loonstroken' | 'sepa' | 'loonaangiftes' | 'jaarwerk';

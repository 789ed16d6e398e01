/**
 * Koppeling type "nmbrs-eboekhouden": Visma Nmbrs loonjournaalposten → e-Boekhouden.nl memoriaal,
 * daily (seed 000). Settings and credentials as the manual's "Koppeling Nmbrs" screen asks them;
 * the koppeling's `mapping` is the optional override table dim1 → grootboekrekening.
 */
import { z } from 'zod';
import type { KoppelingTypeDef } from '../../domain/koppeling-types';

export const NMBRS_EBOEKHOUDEN = 'nmbrs-eboekhouden';

export const nmbrsEboekhoudenSettings = z
  .object({
    /** The Nmbrs company (Bedrijf) whose runs are synchronised. */
    nmbrsCompanyId: z.number().int().positive(),
    /** "Synchroniseren vanaf (jaar)" and "(periodenummer)". */
    syncFromYear: z.number().int().min(2000).max(2100),
    syncFromPeriod: z.number().int().min(1).max(53).default(1),
    /** "Actief": off → a cycle reads and books nothing. */
    active: z.boolean().default(true),
    /** Only runs Nmbrs has locked (final). Off: also open runs, whose later changes are corrected. */
    lockedRunsOnly: z.boolean().default(true),
    /** The e-Boekhouden administration label that closed periods (periodClosed) are recorded under. */
    administration: z.string().trim().min(1).max(100).default('e-Boekhouden'),
    /** Accountant login: open this administration (OpenSessionSub) instead of the user's own. */
    administratieGuid: z.string().trim().min(1).optional(),
    /**
     * A change to a run whose period is closed: `warn` (default; the manual: a closed period is not
     * synchronised any more) logs it with the amounts; `firstOpenPeriod` books the reversal and the
     * new version in the first open period instead.
     */
    changesInClosedPeriod: z.enum(['warn', 'firstOpenPeriod']).default('warn'),
    /** Per-call HTTP timeouts of the connectors (default 30 s each). */
    nmbrsTimeoutMs: z.number().int().min(100).max(120_000).optional(),
    eboekhoudenTimeoutMs: z.number().int().min(100).max(120_000).optional(),
  })
  .strict();
export type NmbrsEboekhoudenSettings = z.infer<typeof nmbrsEboekhoudenSettings>;

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
export type NmbrsEboekhoudenNmbrsCredentials = z.infer<typeof nmbrsCredentials>;

export const eboekhoudenCredentials = z
  .object({
    username: z.string().min(1),
    securityCode1: z.string().regex(/^[0-9a-fA-F]{32}$/, 'beveiligingscode 1 is 32 hexadecimale tekens'),
    securityCode2: z.string().regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/, 'beveiligingscode 2 heeft de vorm xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx'),
  })
  .strict();
export type NmbrsEboekhoudenEbCredentials = z.infer<typeof eboekhoudenCredentials>;

export const nmbrsEboekhoudenType: KoppelingTypeDef = {
  type: NMBRS_EBOEKHOUDEN,
  label: 'Visma Nmbrs → e-Boekhouden.nl (loonjournaalposten)',
  credentials: { nmbrs: nmbrsCredentials, eboekhouden: eboekhoudenCredentials },
  settings: nmbrsEboekhoudenSettings,
  // The manual: the koppeling checks daily; 06:00 Amsterdam is before the bookkeeper starts.
  defaultCadence: { kind: 'daily', at: '06:00' },
  // Booking references are NMBRS-<company>-..., and e-Boekhouden does not refuse a second memoriaal
  // with the same Boekstuk: a second active koppeling from the same company into the same
  // administration would book every loonjournaalpost twice.
  target: (settings, credentials) => {
    const s = nmbrsEboekhoudenSettings.safeParse(settings);
    const user = credentials.eboekhouden?.username?.trim().toLowerCase();
    if (!s.success || !s.data.active || !user) return undefined;
    return {
      key: `${s.data.nmbrsCompanyId}|${user}|${s.data.administratieGuid ?? ''}`,
      label: `Nmbrs-bedrijf ${s.data.nmbrsCompanyId} naar de e-Boekhouden.nl-administratie van ${user}`,
    };
  },
};

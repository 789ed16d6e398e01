/**
 * Settings of koppeling type "nmbrs-eboekhouden", as the manual's "Koppeling Nmbrs" screen asks
 * them (seed 000); the koppeling's `mapping` is the optional override table dim1 → grootboekrekening.
 * Credentials are the systems' own (src/systems/nmbrs, src/systems/eboekhouden).
 */
import { z } from 'zod';

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

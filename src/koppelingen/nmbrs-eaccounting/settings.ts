/**
 * Settings of koppeling type "nmbrs-eaccounting" (seed 002). The "Administrations" mapping is the
 * pair Nmbrs company (here) → the eAccounting company of the koppeling's Visma connection (one
 * company per authorisation). The koppeling's `mapping` is looncode/dim1 → eAccounting account number.
 */
import { z } from 'zod';

export const NMBRS_EACCOUNTING = 'nmbrs-eaccounting';

export const nmbrsEaccountingSettings = z
  .object({
    /** The Nmbrs company whose journals are sent. */
    nmbrsCompanyId: z.number().int().positive(),
    /** First year and period to send. */
    syncFromYear: z.number().int().min(2000).max(2100),
    syncFromPeriod: z.number().int().min(1).max(53).default(1),
    /** Off → a cycle reads and sends nothing. */
    active: z.boolean().default(true),
    /** Only runs Nmbrs has processed (locked). */
    lockedRunsOnly: z.boolean().default(true),
    /** The seed's dashlet: send every processed run automatically, or only runs sent by hand (POST …/runs/:runId/send). */
    autoSend: z.boolean().default(true),
    nmbrsTimeoutMs: z.number().int().min(100).max(120_000).optional(),
    eaccountingTimeoutMs: z.number().int().min(100).max(120_000).optional(),
  })
  .strict();
export type NmbrsEaccountingSettings = z.infer<typeof nmbrsEaccountingSettings>;

/**
 * Settings of koppeling type "eboekhouden-werkbonapp" (seed 003): they mirror the WerkbonApp
 * settings screen. Credentials are the systems' own (src/systems/eboekhouden, src/systems/werkbonapp).
 * Workflow: workflows/eboekhouden-werkbonapp/ · activities: activities/eboekhouden-werkbonapp/ · logic: ./domain/
 */
import { z } from 'zod';

export const EBOEKHOUDEN_WERKBONAPP = 'eboekhouden-werkbonapp';

export const werkbonappSettings = z
  .object({
    /** "Selecteer gegevens om te importeren". */
    import: z
      .object({
        relaties: z.boolean().default(true),
        materialen: z.boolean().default(true),
        uursoorten: z.boolean().default(true),
      })
      .strict()
      .default({}),
    /** "Export instellingen". */
    export: z
      .object({
        /** "Factuur": completed werkbonnen become invoices in e-Boekhouden. */
        factuur: z.boolean().default(true),
        /** Name of an invoice template in e-Boekhouden (Beheer > Sjablonen > Factuursjablonen). */
        factuursjabloon: z.string().trim().max(100).default(''),
        /** Betalingstermijn in days. */
        betalingstermijn: z.number().int().min(0).max(365).default(14),
        /** Book at once (mutation + open post) instead of only preparing the invoice. */
        verwerkenInBoekhouding: z.boolean().default(true),
        /** Create or update the invoice's relatie in e-Boekhouden first. */
        exporteerRelaties: z.boolean().default(true),
        /** For invoice lines whose code is no product in e-Boekhouden (it has its own BTW code and ledger). */
        standaardBtwCode: z.string().trim().min(1).default('HOOG_VERK_21'),
        omzetrekeningUren: z.string().trim().min(1).max(10).default('8000'),
        omzetrekeningMaterialen: z.string().trim().min(1).max(10).default('8000'),
      })
      .strict()
      .default({}),
  })
  .strict()
  .superRefine((s, ctx) => {
    if (s.export.factuur && !s.export.factuursjabloon) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['export', 'factuursjabloon'], message: 'vul de naam van een factuursjabloon in (Beheer > Sjablonen > Factuursjablonen)' });
    }
  });

export type WerkbonappSettings = z.infer<typeof werkbonappSettings>;

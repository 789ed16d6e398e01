/**
 * Koppeling type "eboekhouden-werkbonapp" (seed 003): relaties, uursoorten and materialen from
 * e-Boekhouden.nl into WerkbonApp, and completed werkbonnen back as invoices, every 15 minutes
 * and on "Start synchronisatie". The settings mirror the WerkbonApp settings screen.
 * Workflow: workflows/eboekhouden-werkbonapp/ · activities: activities/eboekhouden-werkbonapp/ · logic: ./domain/
 */
import { z } from 'zod';
import type { KoppelingTypeDef } from '../../domain/koppeling-types';

export const EBOEKHOUDEN_WERKBONAPP = 'eboekhouden-werkbonapp';

const secret = (label: string) => z.string().trim().min(1, `${label} is verplicht`).max(200);

/** Gebruikersnaam + beveiligingscodes 1 en 2 (Beheer > Inrichting > Instellingen > Koppelingen > API/SOAP). */
export const eboekhoudenCredentials = z
  .object({ username: secret('Gebruikersnaam'), securityCode1: secret('Beveiligingscode 1'), securityCode2: secret('Beveiligingscode 2') })
  .strict();

/** The API token WerkbonApp shows at Instellingen > Externe koppelingen > e-Boekhouden. */
export const werkbonappCredentials = z.object({ token: secret('Token') }).strict();

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

export const eboekhoudenWerkbonappType: KoppelingTypeDef = {
  type: EBOEKHOUDEN_WERKBONAPP,
  label: 'e-Boekhouden.nl ↔ WerkbonApp',
  credentials: { eboekhouden: eboekhoudenCredentials, werkbonapp: werkbonappCredentials },
  settings: werkbonappSettings as unknown as z.ZodType<Record<string, unknown>>,
  defaultCadence: { kind: 'interval', everyMinutes: 15 },
};

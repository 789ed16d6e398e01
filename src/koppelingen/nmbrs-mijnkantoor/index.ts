/**
 * Koppeling type "nmbrs-mijnkantoor": Visma Nmbrs ↔ Mijn Kantoor (seed 001): loonstroken, SEPA-
 * bestanden and loonaangiftes every hour 07:00–20:00 into the customer's dossier, relations in or
 * out, and jaarwerk in bulk from the CRM (POST /jaarwerk). Workflows: workflows/nmbrs-mijnkantoor/ ·
 * activities: activities/nmbrs-mijnkantoor/ · pure logic: ./domain/ · settings: ./settings.ts.
 */
import { createNmbrsMijnkantoorPreviews } from '../../../activities/nmbrs-mijnkantoor/previews';
import { mijnkantoorSystem } from '../../systems/mijnkantoor/system';
import { nmbrsSystem } from '../../systems/nmbrs/system';
import { defineKoppeling } from '../koppeling';
import { seedNmbrsMijnkantoor } from './demo';
import { NMBRS_MIJNKANTOOR, nmbrsMijnkantoorSettings } from './settings';
import { nmbrsMijnkantoorSoak } from './soak';

export { NMBRS_MIJNKANTOOR, nmbrsMijnkantoorSettings, type NmbrsMijnkantoorSettings } from './settings';

export const nmbrsMijnkantoorType = defineKoppeling({
  type: NMBRS_MIJNKANTOOR,
  label: 'Visma Nmbrs ↔ Mijn Kantoor (loonstroken, SEPA, loonaangiftes, relaties, jaarwerk)',
  systems: [nmbrsSystem, mijnkantoorSystem],
  settings: nmbrsMijnkantoorSettings,
  // Seed 001 FAQ: "elk uur tussen 07:00 en 20:00 uur"; the 07:00 cycle files what arrived overnight.
  defaultCadence: { kind: 'hourly', from: '07:00', to: '20:00', minute: 0 },
  // Two koppelingen from the same Nmbrs environment into the same Mijn Kantoor office would file
  // every document twice (their ledgers are separate).
  target: (settings, credentials) => {
    const s = nmbrsMijnkantoorSettings.safeParse(settings);
    const user = credentials.nmbrs?.username?.trim().toLowerCase();
    const tenant = credentials.mijnkantoor?.tenant?.trim();
    if (!s.success || !user || !tenant) return undefined;
    return {
      key: `${user}|${(credentials.nmbrs?.domain ?? '').toLowerCase()}|${tenant}`,
      label: `Nmbrs-omgeving ${credentials.nmbrs?.domain ?? ''} (${user}) naar Mijn Kantoor-kantoor ${tenant}`,
    };
  },
  demo: seedNmbrsMijnkantoor,
  previews: createNmbrsMijnkantoorPreviews,
  soak: nmbrsMijnkantoorSoak,
});

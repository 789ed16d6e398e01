/**
 * Koppeling type "nmbrs-eboekhouden": Visma Nmbrs loonjournaalposten → e-Boekhouden.nl memoriaal,
 * daily (seed 000). Workflow: workflows/nmbrs-eboekhouden/ · activities: activities/nmbrs-eboekhouden/
 * · pure logic: ./domain/ · settings: ./settings.ts · demo: ./demo.ts.
 */
import { createNmbrsEboekhoudenPreviews } from '../../../activities/nmbrs-eboekhouden/previews';
import { eboekhoudenSystem } from '../../systems/eboekhouden/system';
import { nmbrsSystem } from '../../systems/nmbrs/system';
import { defineKoppeling } from '../koppeling';
import { seedNmbrsEboekhouden } from './demo';
import { NMBRS_EBOEKHOUDEN, nmbrsEboekhoudenSettings } from './settings';
import { nmbrsEboekhoudenSoak } from './soak';

export { NMBRS_EBOEKHOUDEN, nmbrsEboekhoudenSettings, type NmbrsEboekhoudenSettings } from './settings';

export const nmbrsEboekhoudenType = defineKoppeling({
  type: NMBRS_EBOEKHOUDEN,
  label: 'Visma Nmbrs → e-Boekhouden.nl (loonjournaalposten)',
  systems: [nmbrsSystem, eboekhoudenSystem],
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
  demo: seedNmbrsEboekhouden,
  previews: createNmbrsEboekhoudenPreviews,
  soak: nmbrsEboekhoudenSoak,
});

/**
 * Koppeling type "nmbrs-eaccounting": Visma Nmbrs loonjournaalposten → Visma eAccounting vouchers,
 * after each processed run (seed 002). Workflow: workflows/nmbrs-eaccounting/ · activities:
 * activities/nmbrs-eaccounting/ · pure logic: ./domain/ · settings: ./settings.ts.
 */
import { createNmbrsEaccountingRuns } from '../../../activities/nmbrs-eaccounting/runs';
import { eaccountingSystem } from '../../systems/eaccounting/system';
import { nmbrsSystem } from '../../systems/nmbrs/system';
import { defineKoppeling } from '../koppeling';
import { seedNmbrsEaccounting } from './demo';
import { NMBRS_EACCOUNTING, nmbrsEaccountingSettings } from './settings';
import { nmbrsEaccountingSoak } from './soak';

export { NMBRS_EACCOUNTING, nmbrsEaccountingSettings, type NmbrsEaccountingSettings } from './settings';

export const nmbrsEaccountingType = defineKoppeling({
  type: NMBRS_EACCOUNTING,
  label: 'Visma Nmbrs → Visma eAccounting (journaalposten als vouchers)',
  systems: [nmbrsSystem, eaccountingSystem],
  settings: nmbrsEaccountingSettings,
  // Seed 002 sends after each processed run; an hourly look for newly locked runs (sync at once via the API).
  defaultCadence: { kind: 'interval', everyMinutes: 60 },
  // The seed's "Administrations": one Nmbrs company per authorisation, and an authorisation is one
  // eAccounting company. A second koppeling onto the same authorisation would send everything
  // twice (eAccounting has no idempotency key), so it is refused with a 409 naming the first.
  target: (settings, credentials) => {
    const s = nmbrsEaccountingSettings.safeParse(settings);
    const connectionId = credentials.eaccounting?.connectionId;
    if (!s.success || !s.data.active || !connectionId) return undefined;
    return { key: connectionId, label: `het eAccounting-bedrijf van Visma-verbinding ${connectionId}` };
  },
  demo: seedNmbrsEaccounting,
  previews: (deps) => {
    const runs = createNmbrsEaccountingRuns(deps);
    return { runs: (id) => runs.runs(id), sendRun: (id, runId) => runs.sendRun(id, runId) };
  },
  soak: nmbrsEaccountingSoak,
});

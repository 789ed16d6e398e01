/**
 * Koppeling type "eboekhouden-werkbonapp" (seed 003): relaties, uursoorten and materialen from
 * e-Boekhouden.nl into WerkbonApp, and completed werkbonnen back as invoices, every 15 minutes
 * and on "Start synchronisatie". Workflow: workflows/eboekhouden-werkbonapp/ · activities:
 * activities/eboekhouden-werkbonapp/ · pure logic: ./domain/ · settings: ./settings.ts · demo: ./demo.ts.
 */
import type { z } from 'zod';
import { eboekhoudenSystem } from '../../systems/eboekhouden/system';
import { werkbonappSystem } from '../../systems/werkbonapp/system';
import { defineKoppeling } from '../koppeling';
import { seedEboekhoudenWerkbonapp } from './demo';
import { EBOEKHOUDEN_WERKBONAPP, werkbonappSettings } from './settings';
import { eboekhoudenWerkbonappSoak } from './soak';

export { EBOEKHOUDEN_WERKBONAPP, werkbonappSettings, type WerkbonappSettings } from './settings';

export const eboekhoudenWerkbonappType = defineKoppeling({
  type: EBOEKHOUDEN_WERKBONAPP,
  label: 'e-Boekhouden.nl ↔ WerkbonApp',
  systems: [eboekhoudenSystem, werkbonappSystem],
  settings: werkbonappSettings as unknown as z.ZodType<Record<string, unknown>>,
  defaultCadence: { kind: 'interval', everyMinutes: 15 },
  demo: seedEboekhoudenWerkbonapp,
  soak: eboekhoudenWerkbonappSoak,
});

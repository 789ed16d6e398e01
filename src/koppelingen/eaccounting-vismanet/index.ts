/**
 * Koppeling type "eaccounting-vismanet" (seed 004): Visma eAccounting → Visma.net ERP, three flows
 * each switchable (products by SKU, orders by status, customers by e-mail) with a datamapper per
 * flow, every 5 minutes and on "sync". Workflow: workflows/eaccounting-vismanet/ · activities:
 * activities/eaccounting-vismanet/ · pure logic: ./domain/ · settings: ./settings.ts · demo: ./demo.ts ·
 * kill soak: ./soak.ts.
 */
import { createEvItems } from '../../../activities/eaccounting-vismanet/items';
import { eaccountingSystem } from '../../systems/eaccounting/system';
import { defineKoppeling } from '../koppeling';
import { seedEaccountingVismanet } from './demo';
import { eaccountingVismanetSoak } from './soak';
import { vismanetSystem } from '../../systems/vismanet/system';
import { EACCOUNTING_VISMANET, eaccountingVismanetSettings } from './settings';

export { EACCOUNTING_VISMANET, eaccountingVismanetSettings, type EaccountingVismanetSettings } from './settings';

export const eaccountingVismanetType = defineKoppeling({
  type: EACCOUNTING_VISMANET,
  label: 'Visma eAccounting → Visma.net ERP (producten, klanten, orders)',
  systems: [eaccountingSystem, vismanetSystem],
  settings: eaccountingVismanetSettings as never,
  // Seed 004: scheduled and on demand (POST /koppelingen/:id/sync); every 5 minutes by default.
  defaultCadence: { kind: 'interval', everyMinutes: 5 },
  demo: seedEaccountingVismanet,
  soak: eaccountingVismanetSoak,
  previews: (deps) => {
    const items = createEvItems(deps);
    return { datamapperPreview: (id, input) => items.datamapperPreview(id, input as never), replayItem: (id, flow, key) => items.replayItem(id, flow as never, key) };
  },
});

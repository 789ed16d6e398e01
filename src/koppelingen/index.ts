/**
 * The koppeling types Koppelwerk ships: one line per type. Each type's definition is
 * src/koppelingen/<type>/index.ts; the type registry, the demo seeding and the admin API's previews
 * follow from this list.
 */
import { registerKoppelingType } from '../domain/koppeling-types';
import { eaccountingVismanetType } from './eaccounting-vismanet';
import { eboekhoudenWerkbonappType } from './eboekhouden-werkbonapp';
import type { KoppelingDefinition } from './koppeling';
import { nmbrsEaccountingType } from './nmbrs-eaccounting';
import { nmbrsEboekhoudenType } from './nmbrs-eboekhouden';
import { nmbrsMijnkantoorType } from './nmbrs-mijnkantoor';

export const KOPPELINGEN: readonly KoppelingDefinition[] = [
  eboekhoudenWerkbonappType,
  nmbrsEboekhoudenType,
  nmbrsMijnkantoorType,
  nmbrsEaccountingType,
  eaccountingVismanetType,
];

export function registerProductionTypes(): void {
  for (const def of KOPPELINGEN) registerKoppelingType(def);
}

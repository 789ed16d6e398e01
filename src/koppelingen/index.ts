/** The koppeling types Koppelwerk ships. Each type's definition lives in its own file here. */
import { registerKoppelingType } from '../domain/koppeling-types';
import { eboekhoudenWerkbonappType } from './eboekhouden-werkbonapp/index';
import { nmbrsEboekhoudenType } from './nmbrs-eboekhouden/index';

export function registerProductionTypes(): void {
  for (const def of [eboekhoudenWerkbonappType, nmbrsEboekhoudenType]) registerKoppelingType(def);
}

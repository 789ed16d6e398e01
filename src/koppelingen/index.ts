/** The koppeling types Koppelwerk ships. Each type's definition lives in its own file here. */
import { registerKoppelingType } from '../domain/koppeling-types';

export function registerProductionTypes(): void {
  for (const def of []) registerKoppelingType(def);
}

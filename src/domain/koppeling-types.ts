/**
 * The registry of koppeling types: what settings and credentials each needs (zod), which systems it
 * talks to, and its default cadence. The workflow side is the `<type>Cycle` child workflow.
 */
import type { z } from 'zod';
import type { Cadence } from './cadence';

export interface KoppelingTypeDef {
  type: string;
  label: string;
  /** Credential sets by system, each validated by its own schema. Stored encrypted, never logged. */
  credentials: Record<string, z.ZodType<Record<string, string>>>;
  settings: z.ZodType<Record<string, unknown>>;
  defaultCadence: Cadence;
  /**
   * What this koppeling writes, from where into where, when it writes at all (undefined: it does
   * not, e.g. switched off). Two linked koppelingen with the same target would each book the same
   * data, so the second is refused. `label` names it for the user, in Dutch.
   */
  target?: (settings: Record<string, unknown>, credentials: Partial<Record<string, Record<string, string>>>) => KoppelingTarget | undefined;
}

export interface KoppelingTarget {
  key: string;
  label: string;
}

const registry = new Map<string, KoppelingTypeDef>();

export function registerKoppelingType(def: KoppelingTypeDef): void {
  registry.set(def.type, def);
}

export function getKoppelingType(type: string): KoppelingTypeDef | undefined {
  return registry.get(type);
}

export function koppelingTypes(): KoppelingTypeDef[] {
  return [...registry.values()];
}

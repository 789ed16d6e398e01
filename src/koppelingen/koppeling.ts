/**
 * What a koppeling type declares in src/koppelingen/<type>/index.ts: the platform's
 * KoppelingTypeDef (settings schema, default cadence, target) plus the systems it talks to — whose
 * registry entries give its credential sets — its demo seeder and the admin API's previews.
 * Its cycle workflow is `<camelCaseType>Cycle` in workflows/<type>/, its activities in activities/<type>/.
 */
import type { ActivityDeps } from '../../activities/deps';
import type { DemoSeeder } from '../demo';
import type { KoppelingTypeDef } from '../domain/koppeling-types';
import type { AnySystem } from '../systems';

/** The admin API's read-only tools for a koppeling (GET /koppelingen/:id/preview, /mapping-check). */
export interface KoppelingPreviews {
  preview?: (koppelingId: string) => Promise<unknown>;
  mappingCheck?: (koppelingId: string) => Promise<unknown>;
}

export interface KoppelingDefinition extends KoppelingTypeDef {
  /** The external systems it uses, from src/systems; a koppeling stores one credential set per system. */
  systems: readonly AnySystem[];
  /** `npm start`: creates its demo koppeling against the simulators (idempotent). */
  demo?: DemoSeeder;
  previews?: (deps: ActivityDeps) => KoppelingPreviews;
}

/** The credential schemas come from the systems: one schema per system, whichever koppeling uses it. */
export function defineKoppeling(def: Omit<KoppelingDefinition, 'credentials'>): KoppelingDefinition {
  return { ...def, credentials: Object.fromEntries(def.systems.map((s) => [s.id, s.credentials])) };
}

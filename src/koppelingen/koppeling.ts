/**
 * What a koppeling type declares in src/koppelingen/<type>/index.ts: the platform's
 * KoppelingTypeDef (settings schema, default cadence, target) plus the systems it talks to — whose
 * registry entries give its credential sets — its demo seeder and the admin API's previews.
 * Its cycle workflow is `<camelCaseType>Cycle` in workflows/<type>/, its activities in activities/<type>/.
 */
import type { ActivityDeps } from '../../activities/deps';
import type { DemoSeeder } from '../demo';
import type { KoppelingTypeDef } from '../domain/koppeling-types';
import type { AnySystem, SystemId } from '../systems';

/** What a type's settings check gets: the parsed settings, and the credentials given now or the koppeling whose stored ones count. */
export interface SettingsCheckInput {
  settings: Record<string, unknown>;
  credentials?: Record<string, Record<string, string>>;
  koppelingId?: string;
}

/** Problems found against the external systems (→ 400 naming the field) and warnings for the user. */
export interface SettingsCheck {
  issues: { field: string; reason: string }[];
  warnings: string[];
}

/** The admin API's read-only tools for a koppeling (GET /koppelingen/:id/preview, /mapping-check). */
export interface KoppelingPreviews {
  preview?: (koppelingId: string) => Promise<unknown>;
  mappingCheck?: (koppelingId: string) => Promise<unknown>;
  /** Checked when settings are saved (create, update), after the schema: e.g. that a directory exists in the target. */
  checkSettings?: (input: SettingsCheckInput) => Promise<SettingsCheck>;
  /** Per source run its sent status (GET /koppelingen/:id/runs). */
  runs?: (koppelingId: string) => Promise<unknown>;
  /** Ask for one run to be sent by the next cycle (POST /koppelingen/:id/runs/:runId/send); throws with a Dutch reason when it cannot. */
  sendRun?: (koppelingId: string, runId: number) => Promise<unknown>;
  /** Run the koppeling's datamapper on a real source record (POST /koppelingen/:id/datamapper/preview). */
  datamapperPreview?: (koppelingId: string, input: { flow: string; key?: string; datamapper?: unknown }) => Promise<unknown>;
  /** Push one item again with the next cycle (POST /koppelingen/:id/items/:flow/:itemKey/replay). */
  replayItem?: (koppelingId: string, flow: string, itemKey: string) => Promise<{ found: boolean; state?: string; message?: string }>;
}

/** What the kill soak (scripts/soak) hands a type's soak functions. */
export interface SoakContext {
  /** A simulator's control API (`/_control<path>`); throws on a non-2xx answer. */
  control<T = any>(system: SystemId, method: string, path: string, body?: unknown): Promise<T>;
  /** Seeded: a soak run can be repeated. */
  random(): number;
  /** The admin API with the operator key (e.g. an OAuth2 connection to create before the koppeling); throws on a non-2xx answer. */
  api<T = any>(method: string, path: string, body?: unknown): Promise<T>;
  /** The admin API's base URL and operator key: a browser trip (src/dev/browser.ts) starts there with the key in a header. */
  admin: { url: string; key: string };
}

/** End state of one koppeling in its target systems, as the soak counts it. */
export interface SoakCheck {
  /** Items that must exist exactly once in the target (invoices, memorialen, …). */
  expected: number;
  /** Items found in the target (duplicates included). */
  items: number;
  duplicates: number;
  missing: number;
  /** Short facts for the report (which ones, what else was counted). */
  detail?: string;
}

/**
 * How the kill soak drives this type against the simulators: creates the koppeling, feeds its
 * source system real volumes, tells when writes are happening, and checks the target at the end.
 * A type without one is reported by the soak as not covered.
 */
export interface KoppelingSoak {
  /** The systems whose simulators it needs; the first one listed is where it writes. */
  systems: readonly SystemId[];
  /** Body of POST /koppelingen without tenantId/type/name: settings, mapping, credentials (the simulators' demo accounts). */
  create(ctx: SoakContext): Promise<Record<string, unknown>>;
  /** New work in the source system for the next cycles; round 0 is the initial load. */
  load(ctx: SoakContext, round: number): Promise<void>;
  /** A counter of write calls at the target(s) that only grows: a kill just after it moved lands during a write. */
  writes(ctx: SoakContext): Promise<number>;
  check(ctx: SoakContext): Promise<SoakCheck>;
}

export interface KoppelingDefinition extends KoppelingTypeDef {
  /** The external systems it uses, from src/systems; a koppeling stores one credential set per system. */
  systems: readonly AnySystem[];
  /** `npm start`: creates its demo koppeling against the simulators (idempotent). */
  demo?: DemoSeeder;
  previews?: (deps: ActivityDeps) => KoppelingPreviews;
  /** The kill soak's knowledge of this type (src/koppelingen/<type>/soak.ts); without it the soak reports it as not covered. */
  soak?: KoppelingSoak;
}

/** The credential schemas come from the systems: one schema per system, whichever koppeling uses it. */
export function defineKoppeling(def: Omit<KoppelingDefinition, 'credentials'>): KoppelingDefinition {
  return { ...def, credentials: Object.fromEntries(def.systems.map((s) => [s.id, s.credentials])) };
}

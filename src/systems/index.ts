/**
 * The external systems Koppelwerk talks to: one line per system. Task queues, worker rate limits,
 * config's base URLs, the credential help, the embedded stack's simulators and docker-compose's
 * variables (checked by a test) all follow from this list.
 */
import { eaccountingSystem } from './eaccounting/system';
import { eboekhoudenSystem } from './eboekhouden/system';
import { mijnkantoorSystem } from './mijnkantoor/system';
import { nmbrsSystem } from './nmbrs/system';
import { vismanetSystem } from './vismanet/system';
import { werkbonappSystem } from './werkbonapp/system';

export const SYSTEMS = [
  nmbrsSystem,
  eboekhoudenSystem,
  werkbonappSystem,
  mijnkantoorSystem,
  eaccountingSystem,
  vismanetSystem,
] as const;

export type AnySystem = (typeof SYSTEMS)[number];
export type SystemId = AnySystem['id'];
/** The running simulator of each system, by id, as its own start() returns it. */
export type RunningSimulators = {
  [S in AnySystem as S['id']]?: S['simulator'] extends { start(...a: never[]): Promise<infer R> } | undefined ? R : never;
};

export function getSystem(id: string): AnySystem | undefined {
  return SYSTEMS.find((s) => s.id === id);
}

export type { RateBudget, SystemDef } from './system';

/**
 * Per koppeling type, the activity that tells a due tick whether a cycle has work (see
 * src/domain/koppeling-machine.ts `check`): its name and the task queue of the system it mostly
 * reads, so its calls count against that system's rate budget. One line per type; a type without a
 * probe runs a full cycle on every tick, as before. Workflow-safe: plain constants.
 *
 * What each probe reads, and why that is the least that notices a change, is in its own file:
 * activities/<type>/probe.ts.
 *
 * Keep a line once runs use it: a history recorded with a type's probe replays only while the type
 * still has one (rename the activity only together with a new patch id).
 */
import { EBOEKHOUDEN } from '../src/systems/eboekhouden/identity';
import { NMBRS } from '../src/systems/nmbrs/identity';

export interface ProbeSpec {
  activity: string;
  taskQueue?: string;
}

const PROBES = new Map<string, ProbeSpec>([
  ['nmbrs-eboekhouden', { activity: 'nmbrsEbProbe', taskQueue: NMBRS.taskQueue }],
  // Reads e-Boekhouden (4 calls, in one session) and WerkbonApp (up to 4): on the stricter queue.
  ['eboekhouden-werkbonapp', { activity: 'werkbonProbe', taskQueue: EBOEKHOUDEN.taskQueue }],
]);

export function probeOf(koppelingType: string): ProbeSpec | undefined {
  return PROBES.get(koppelingType);
}

/** For test bundles: a test-only koppeling type gets a probe too (never called by shipped code). */
export function registerProbe(koppelingType: string, spec: ProbeSpec): void {
  PROBES.set(koppelingType, spec);
}

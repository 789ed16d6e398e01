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
 *
 * A type that gets its probe after its koppelingen run carries a patch id of its own: their running
 * workflows recorded no probe on their ticks, and the workflow probes only where this patch is
 * (new runs, and every run after continue-as-new), so their histories still replay.
 */
import { EACCOUNTING } from '../src/systems/eaccounting/identity';
import { EBOEKHOUDEN } from '../src/systems/eboekhouden/identity';
import { NMBRS } from '../src/systems/nmbrs/identity';

export interface ProbeSpec {
  activity: string;
  taskQueue?: string;
  /** The patch the workflow asks before it probes (default `idle-probe`, the types that had one first). */
  patch?: string;
}

const PROBES = new Map<string, ProbeSpec>([
  ['nmbrs-eboekhouden', { activity: 'nmbrsEbProbe', taskQueue: NMBRS.taskQueue }],
  // Reads e-Boekhouden (4 calls, in one session) and WerkbonApp (up to 4): on the stricter queue.
  ['eboekhouden-werkbonapp', { activity: 'werkbonProbe', taskQueue: EBOEKHOUDEN.taskQueue }],
  // Reads only Nmbrs (eAccounting is the target; the ledger says what was sent).
  ['nmbrs-eaccounting', { activity: 'nmbrsEaProbe', taskQueue: NMBRS.taskQueue, patch: 'idle-probe-nmbrs-eaccounting' }],
  // Reads Nmbrs (most calls) and one Mijn Kantoor list: on the Nmbrs queue, like the scan.
  ['nmbrs-mijnkantoor', { activity: 'nmkProbe', taskQueue: NMBRS.taskQueue, patch: 'idle-probe-nmbrs-mijnkantoor' }],
  // Reads the eAccounting lists the scan reads (Visma.net is the target): on the eAccounting queue.
  // New type: no workflow ran without the probe, so the first patch id serves.
  ['eaccounting-vismanet', { activity: 'evProbe', taskQueue: EACCOUNTING.taskQueue }],
]);

export function probeOf(koppelingType: string): ProbeSpec | undefined {
  return PROBES.get(koppelingType);
}

/** For test bundles: a test-only koppeling type gets a probe too (never called by shipped code). */
export function registerProbe(koppelingType: string, spec: ProbeSpec): void {
  PROBES.set(koppelingType, spec);
}

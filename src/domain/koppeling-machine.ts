/**
 * The koppeling entity's state machine: state × message → next state, and what the workflow loop
 * does next. Pure (no Temporal, no I/O), so every state × every message is unit-tested without a
 * server, and the workflow (workflows/koppeling.ts) only drives it.
 *
 * Why a machine: a loop whose wait condition is true the moment it starts waiting never yields,
 * and one such message used to wedge the koppeling and crash the worker. Here the loop asks
 * `next()` for a step; a `wait` step ends exactly when `next()` would answer differently
 * (`wakes`), so a wait can never start satisfied: every loop iteration either waits on something
 * that is false at that moment or runs a cycle (or a due-time computation, which clears what
 * asked for it).
 */

export const KOPPELING_STATES = ['ACTIVE', 'RUNNING', 'PAUSED', 'WAITING_REAUTH', 'BLOCKED_MAPPING', 'BLOCKED_CONFIG', 'STOPPED'] as const;
export type KoppelingState = (typeof KOPPELING_STATES)[number];

export type Trigger = 'schedule' | 'syncNow' | 'reauthorized' | 'mappingChanged' | 'resume' | 'start';

export interface ClosedPeriod {
  administration: string;
  year: number;
  period: number;
}

/** Why the koppeling waits for a person: new credentials, a mapping, or a usable cadence. */
export interface Block {
  kind: 'reauth' | 'mapping' | 'config';
  reason: string;
  missingCodes?: string[];
}

export type CycleResult = 'ok' | 'partial' | 'blocked_mapping' | 'waiting_reauth' | 'failed';

export interface CycleSummary {
  result: CycleResult;
  counts: Record<string, number>;
  summary: string;
  missingCodes?: string[];
  error?: { type: string; system?: string; code?: string; oorzaak: string; oplossing: string };
}

/** Runtime state, carried across continue-as-new (field names kept from earlier runs' inputs). */
export interface CarriedState {
  paused: boolean;
  pauseReason?: string;
  block?: Block;
  cycleNo: number;
  lastCycle?: CycleSummary & { at: string; cycleNo: number };
  lastSyncAt?: string;
  nextDueAt?: string;
  trigger?: Trigger;
  failureStreak: number;
  closedPeriods: ClosedPeriod[];
  credentialsVersion: number;
  mappingVersion: number;
  configVersion: number;
  /** The due time must be computed again (cadence changed). */
  dueDirty?: boolean;
  /**
   * The source's fingerprint (a probe's answer) taken just before the last cycle that ended `ok`:
   * while a probe answers the same, a due tick has nothing to do. Cleared by every cycle that did
   * not end ok and by every message that changes what a cycle would do.
   */
  watermark?: string;
  /** When a due tick last probed the source (idle or not). */
  lastCheckedAt?: string;
  /** Due ticks since the last full cycle that found nothing changed (no cycle ran). */
  idleChecks?: number;
}

/** What a koppeling type's probe answers: a small, non-secret fingerprint of its source. */
export interface ProbeResult {
  /** Equal fingerprints: nothing a cycle would act on has changed. */
  fingerprint: string;
  /** The source holds work whatever the fingerprint (e.g. werkbonnen waiting to be invoiced). */
  outstanding?: boolean;
}

/** Every message the workflow accepts, as the machine sees it. */
export type Message =
  | { kind: 'syncNow' }
  | { kind: 'pause'; reason?: string }
  | { kind: 'resume' }
  | { kind: 'stop' }
  /** Link again: cancels a stop that has not finished yet (the API's start). */
  | { kind: 'start' }
  | { kind: 'reauthorized'; credentialsVersion: number }
  /** The credentials were refused outside a cycle (e.g. an OAuth2 refresh): wait for new ones now. */
  | { kind: 'reauthRequired'; reason: string }
  | { kind: 'mappingChanged'; mappingVersion: number }
  | { kind: 'closePeriod'; period: ClosedPeriod }
  /** A changed name, settings or cadence; `cadence` is opaque here, `version` orders changes. */
  | { kind: 'configChanged'; version: number; cadence: unknown };

export type MessageKind = Message['kind'];

export type Step =
  | { kind: 'stop' }
  | { kind: 'continueAsNew' }
  | { kind: 'computeDue' }
  /** Wait in `state` until `wakes()` (a message changed the decision) or, with `untilIso`, until then. */
  | { kind: 'wait'; state: KoppelingState; untilIso?: string }
  /** Probe the source first (only with `probing`): a due tick that finds nothing changed runs no cycle. */
  | { kind: 'check'; trigger: Trigger }
  | { kind: 'cycle'; trigger: Trigger };

export const RETRY_BASE_MS = 5 * 60_000;
export const RETRY_MAX_MS = 60 * 60_000;

export function initialState(closedPeriods: ClosedPeriod[] = []): CarriedState {
  return {
    paused: false,
    cycleNo: 0,
    failureStreak: 0,
    closedPeriods,
    credentialsVersion: 0,
    mappingVersion: 0,
    configVersion: 0,
    trigger: 'start',
  };
}

function sameStep(a: Step, b: Step): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'wait' && b.kind === 'wait') return a.state === b.state && a.untilIso === b.untilIso;
  if ((a.kind === 'cycle' && b.kind === 'cycle') || (a.kind === 'check' && b.kind === 'check')) return a.trigger === b.trigger;
  return true;
}

function blockState(b: Block): KoppelingState {
  return b.kind === 'reauth' ? 'WAITING_REAUTH' : b.kind === 'mapping' ? 'BLOCKED_MAPPING' : 'BLOCKED_CONFIG';
}

function validPeriod(p: ClosedPeriod | undefined): string | undefined {
  if (!p || typeof p.administration !== 'string' || !p.administration) return 'administration is verplicht.';
  if (!Number.isInteger(p.year) || p.year < 2000 || p.year > 2100) return 'year moet een jaartal tussen 2000 en 2100 zijn.';
  if (!Number.isInteger(p.period) || p.period < 1 || p.period > 13) return 'period moet tussen 1 en 13 liggen.';
  return undefined;
}

export class KoppelingMachine {
  /** A stop was asked for and the workflow has not ended yet. Never carried: stop wins over continue-as-new. */
  stopRequested = false;
  /** A cycle is running (between cycleStarted and cycleFinished). */
  running = false;
  /** Opaque cadence of the koppeling; replaced by configChanged. */
  cadence: unknown;
  /** When the running (or just finished) cycle started: its next due time counts from there. */
  private cycleStartMs?: number;
  /** The last cycle ran past its next due time: one catch-up follows at once (said in its log line). */
  private overran = false;
  /**
   * Probe before every cycle, and let a due tick whose probe matches the watermark end there
   * (the workflow sets it for runs that have the `idle-probe` patch; histories from before replay
   * without it).
   */
  probing = false;
  /** The probe for the pending trigger has run: the next step is its cycle. */
  private checked = false;
  /** The fingerprint the probe saw before the running cycle: the watermark if the cycle ends ok. */
  private candidate?: string;

  constructor(
    readonly s: CarriedState,
    cadence: unknown,
  ) {
    this.cadence = cadence;
  }

  /** The state an operator sees. */
  state(): KoppelingState {
    if (this.running) return 'RUNNING';
    const step = this.next(false);
    if (step.kind === 'stop') return 'STOPPED';
    if (step.kind === 'wait') return step.state;
    return 'ACTIVE';
  }

  /** Why the koppeling does not run on its own now, in Dutch (undefined: it does). */
  blockingReason(): string | undefined {
    return this.s.block?.reason ?? (this.s.paused ? (this.s.pauseReason ?? 'Gepauzeerd') : undefined);
  }

  /**
   * Why an update would be refused (its validator's message), or undefined when it is accepted.
   * Signals are never refused: they only record what changed.
   */
  reject(msg: Message): string | undefined {
    switch (msg.kind) {
      case 'syncNow':
        if (this.stopRequested) return 'De koppeling is gestopt.';
        if (this.s.paused) return 'De koppeling is gepauzeerd: hervat haar eerst.';
        if (this.s.block?.kind === 'reauth') return `De koppeling wacht op nieuwe inloggegevens: ${this.s.block.reason}`;
        if (this.s.block?.kind === 'mapping') return `De koppeling wacht op een aangepaste mapping: ${this.s.block.reason}`;
        if (this.s.block?.kind === 'config') return `De koppeling wacht op een geldige planning: ${this.s.block.reason}`;
        return undefined;
      case 'pause':
        if (this.stopRequested) return 'De koppeling is gestopt.';
        if (this.s.paused) return 'De koppeling is al gepauzeerd.';
        return undefined;
      case 'resume':
        if (!this.s.paused) return 'De koppeling is niet gepauzeerd.';
        return undefined;
      case 'stop':
        if (this.stopRequested) return 'De koppeling wordt al gestopt.';
        return undefined;
      case 'closePeriod':
        return validPeriod(msg.period);
      default:
        return undefined;
    }
  }

  /** Apply a message (after `reject` said nothing, for updates). Only records; never runs anything. */
  apply(msg: Message): void {
    const s = this.s;
    switch (msg.kind) {
      case 'syncNow':
        if (!s.trigger) s.trigger = 'syncNow';
        return;
      case 'pause':
        s.paused = true;
        s.pauseReason = msg.reason;
        return;
      case 'resume':
        s.paused = false;
        s.pauseReason = undefined;
        return;
      case 'stop':
        this.stopRequested = true;
        return;
      case 'start':
        this.stopRequested = false;
        return;
      case 'reauthorized':
        this.forgetWatermark();
        s.credentialsVersion = Math.max(s.credentialsVersion, msg.credentialsVersion);
        if (s.block?.kind === 'reauth') {
          s.block = undefined;
          s.trigger = 'reauthorized';
        }
        return;
      case 'reauthRequired':
        this.forgetWatermark();
        if (s.block?.kind !== 'reauth') s.block = { kind: 'reauth', reason: String(msg.reason ?? '').slice(0, 2_000) || 'De inloggegevens zijn geweigerd.' };
        return;
      case 'mappingChanged':
        this.forgetWatermark();
        s.mappingVersion = Math.max(s.mappingVersion, msg.mappingVersion);
        if (s.block?.kind === 'mapping') {
          s.block = undefined;
          s.trigger = 'mappingChanged';
        }
        return;
      case 'closePeriod': {
        const p = msg.period;
        if (validPeriod(p)) return; // a signal with a bad period is ignored, never stored
        const known = s.closedPeriods.some((c) => c.administration === p.administration && c.year === p.year && c.period === p.period);
        if (!known) {
          s.closedPeriods = [...s.closedPeriods, { administration: p.administration, year: p.year, period: p.period }];
          this.forgetWatermark();
        }
        return;
      }
      case 'configChanged':
        if (!Number.isFinite(msg.version) || msg.version <= s.configVersion) return; // an old or repeated change
        s.configVersion = msg.version;
        this.forgetWatermark(); // new settings may make the same source mean new work
        this.cadence = msg.cadence;
        s.dueDirty = true;
        // A new configuration may make the cadence usable again; the other blocks wait for their own fix.
        if (s.block?.kind === 'config') s.block = undefined;
        return;
    }
  }

  /**
   * A change that may make the same source mean other work (credentials, mapping, settings, a
   * closed period): the next due tick runs a full cycle, and so does a cycle running right now
   * (its probe saw the source under the old configuration).
   */
  private forgetWatermark(): void {
    if (this.s.watermark !== undefined) this.s.watermark = undefined;
    this.candidate = undefined;
  }

  /** What the loop does next. Pure in the state: time enters only through the loop's events. */
  next(continueAsNewSuggested: boolean): Step {
    const s = this.s;
    if (this.stopRequested) return { kind: 'stop' };
    if (continueAsNewSuggested) return { kind: 'continueAsNew' };
    if (s.paused) return { kind: 'wait', state: 'PAUSED' };
    if (s.block) return { kind: 'wait', state: blockState(s.block) };
    if (s.trigger) return this.probing && !this.checked ? { kind: 'check', trigger: s.trigger } : { kind: 'cycle', trigger: s.trigger };
    if (!s.nextDueAt || s.dueDirty) return { kind: 'computeDue' };
    return { kind: 'wait', state: 'ACTIVE', untilIso: s.nextDueAt };
  }

  /** The wait condition of a `wait` step: true once a message changed what the loop should do. */
  wakes(waiting: Step): boolean {
    return !sameStep(this.next(false), waiting);
  }

  /** A `wait` step's deadline passed (its timer fired). */
  timerFired(): void {
    if (!this.s.trigger) this.s.trigger = 'schedule';
  }

  /**
   * What a due-time computation needs; hand `configVersion` back with its answer. `afterMs`: right
   * after a cycle, the cycle's start, so a cycle that ran past the next due time is noticed.
   */
  dueRequest(nowMs: number): { cadence: unknown; configVersion: number; afterMs: number } {
    return { cadence: this.cadence, configVersion: this.s.configVersion, afterMs: this.cycleStartMs ?? nowMs };
  }

  /** The cadence's next due time, computed for `configVersion`; after failures, retry sooner. */
  dueComputed(regularIso: string, nowMs: number, configVersion: number): void {
    const s = this.s;
    let due = regularIso;
    this.cycleStartMs = undefined;
    if (s.failureStreak === 0 && Date.parse(regularIso) <= nowMs) {
      // The cycle overran its next due time: one catch-up now, not a silent skip (however many
      // due times it ran past; the one after the catch-up counts from its start again).
      due = new Date(nowMs).toISOString();
      this.overran = true;
    } else if (s.failureStreak > 0) {
      // After a failed cycle retry sooner than the cadence would (5, 10, 20 ... 60 minutes).
      const backoff = Math.min(RETRY_BASE_MS * 2 ** (s.failureStreak - 1), RETRY_MAX_MS);
      const retryAt = nowMs + backoff;
      if (retryAt < Date.parse(regularIso)) due = new Date(retryAt).toISOString();
    }
    s.nextDueAt = due;
    if (configVersion === s.configVersion) s.dueDirty = false; // else a newer cadence came in meanwhile
  }

  /** The cadence cannot produce a due time: wait, visibly, for a configuration that can. */
  dueFailed(reason: string, configVersion: number): void {
    this.cycleStartMs = undefined;
    if (configVersion !== this.s.configVersion) return; // computed for an older cadence: just try again
    this.s.dueDirty = false;
    this.s.block = { kind: 'config', reason };
  }

  /** Whether the cycle that just ended ran past its next due time (asked once, for its log line). */
  takeOverran(): boolean {
    const o = this.overran;
    this.overran = false;
    return o;
  }

  /**
   * A `check` step starts: the probe runs now. The trigger is taken, so a syncNow that comes in
   * during the probe is a trigger of its own and still gets its cycle after an idle check.
   */
  checkStarted(nowMs: number): { trigger: Trigger } {
    this.cycleStartMs = nowMs;
    const trigger = this.s.trigger ?? 'schedule';
    this.s.trigger = undefined;
    this.candidate = undefined;
    return { trigger };
  }

  /**
   * The probe answered (`undefined`: it failed). Only a due tick can be idle, and only when the
   * probe saw exactly the watermark and no outstanding work; anything else runs the full cycle
   * (the next step), whose start the probe's fingerprint then describes.
   */
  checkFinished(trigger: Trigger, probe: ProbeResult | undefined, atIso: string): 'idle' | 'cycle' {
    const s = this.s;
    s.lastCheckedAt = atIso;
    const fingerprint = typeof probe?.fingerprint === 'string' && probe.fingerprint ? probe.fingerprint : undefined;
    if (trigger === 'schedule' && fingerprint !== undefined && probe?.outstanding !== true && s.watermark === fingerprint) {
      s.idleChecks = (s.idleChecks ?? 0) + 1;
      return 'idle';
    }
    this.candidate = fingerprint;
    this.checked = true;
    // The cycle runs for the probe's trigger; a syncNow that came in during a due tick's probe is
    // served by this same cycle (it starts after the syncNow arrived).
    s.trigger = trigger === 'schedule' ? (s.trigger ?? trigger) : trigger;
    return 'cycle';
  }

  cycleStarted(nowMs?: number): { cycleNo: number; trigger: Trigger } {
    this.checked = false;
    this.cycleStartMs = nowMs;
    const trigger = this.s.trigger ?? 'schedule';
    this.s.trigger = undefined;
    this.s.cycleNo += 1;
    this.running = true;
    return { cycleNo: this.s.cycleNo, trigger };
  }

  cycleFinished(outcome: CycleSummary, atIso: string, cycleNo: number): void {
    const s = this.s;
    this.running = false;
    s.lastCycle = { ...outcome, at: atIso, cycleNo };
    if (outcome.result === 'ok' || outcome.result === 'partial') s.lastSyncAt = atIso;
    // Only a cycle that left nothing to do may let later ticks skip: partial, failed and blocked
    // cycles leave work (retries, waiting items) that the next tick must run whatever the probe says.
    const watermark = outcome.result === 'ok' ? this.candidate : undefined;
    this.candidate = undefined;
    if (watermark !== undefined || s.watermark !== undefined) s.watermark = watermark;
    if (s.idleChecks) s.idleChecks = 0;
    s.failureStreak = outcome.result === 'failed' ? s.failureStreak + 1 : 0;
    const reason = outcome.error ? `${outcome.error.oorzaak} ${outcome.error.oplossing}`.trim() : outcome.summary;
    if (outcome.result === 'waiting_reauth') s.block = { kind: 'reauth', reason };
    else if (outcome.result === 'blocked_mapping') s.block = { kind: 'mapping', reason, missingCodes: outcome.missingCodes };
  }
}

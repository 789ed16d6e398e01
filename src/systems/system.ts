/**
 * What Koppelwerk knows about one external system, in one place: its identity and task queue, its
 * rate budget, the base-URL variable, the single credential schema and the Dutch help for finding
 * the credentials, and (optionally) the local simulator the embedded stack starts in its place.
 * Each system declares one in src/systems/<system>/system.ts; src/systems/index.ts lists them.
 */
import type { z } from 'zod';
import type { OAuth2SystemDef } from '../oauth/systems';

/**
 * How hard Koppelwerk may drive the system. The one place for the number: it paces every request
 * per external account (src/platform/call-budget.ts, per worker process) and caps the activities
 * on the system's task queue (Temporal, over every worker process).
 */
export interface RateBudget {
  /** Requests per second per external account; also activities per second over the whole queue (Temporal's server-side task-queue limit). */
  perSecond?: number;
  /** The same per minute, for budgets published that way; the stricter of the two applies. */
  perMinute?: number;
  /** Activities one worker process runs at once on this queue. */
  concurrency: number;
}

/** Workflow-safe identity of a system (plain constants in src/systems/<system>/identity.ts). */
export interface SystemIdentity<Id extends string = string> {
  readonly id: Id;
  /** The brand name users know, used in Dutch messages ("Visma Nmbrs"). */
  readonly label: string;
  /** The activity task queue of this system; workflows schedule its activities there. */
  readonly taskQueue: string;
}

export interface RunningSimulator {
  url: string;
  close(): Promise<void>;
}

export interface SystemSimulator<S extends RunningSimulator = RunningSimulator> {
  /** Variable that fixes its port under `npm start`, and the port used otherwise. */
  portEnv: string;
  defaultPort: number;
  /** For the stack's status lines: its name and the URL worth opening. */
  name: string;
  showUrl(url: string): string;
  /** Starts it; `stateFile` keeps its data across restarts (npm start). */
  start(opts: { port: number; stateFile?: string }): Promise<S>;
}

export interface SystemDef<Id extends string = string, S extends RunningSimulator = RunningSimulator, Env extends string = string> extends SystemIdentity<Id> {
  rateBudget: RateBudget;
  /** The environment variable with the base URL, and the real API's URL as its default. */
  baseUrl: { env: Env; default: string };
  /** The one schema of this system's credentials, whichever koppeling uses them. */
  credentials: z.ZodType<Record<string, string>>;
  /** Dutch: what is missing, and where the user finds what to fill in. */
  credentialHelp: { oorzaak: string; oplossing: string };
  simulator?: SystemSimulator<S>;
  /**
   * OAuth2 systems: the authorisation-code definition from config (undefined when no client is
   * configured). Registered at start-up by src/runtime.ts; see src/oauth/systems.ts.
   */
  oauth2?: (config: Readonly<Record<string, unknown>>) => OAuth2SystemDef | undefined;
}

/** Keeps the literal id and the simulator's own type, so the registry stays precisely typed. */
export function defineSystem<const Id extends string, S extends RunningSimulator, const Env extends string>(def: SystemDef<Id, S, Env>): SystemDef<Id, S, Env> {
  return def;
}

/** The budget as one per-second rate for Temporal (the stricter of perSecond and perMinute). */
export function activitiesPerSecond(budget: RateBudget): number | undefined {
  const rates = [budget.perSecond, budget.perMinute === undefined ? undefined : budget.perMinute / 60].filter((r): r is number => r !== undefined);
  return rates.length ? Math.min(...rates) : undefined;
}

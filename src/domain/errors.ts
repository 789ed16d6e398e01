/**
 * Typed koppeling errors. Pure: no Temporal import, so connectors, simulators and unit tests can use
 * them freely. Activities convert a KoppelError into an ApplicationFailure (src/temporal/failures.ts)
 * whose `type` is the ErrorType below and whose details carry the Dutch cause and fix.
 */

import type { SystemId } from '../systems';

export const ERROR_TYPES = [
  'ReauthRequired',
  'PermissionDenied',
  'MappingIncomplete',
  'PeriodClosed',
  'RateLimited',
  'Transient',
  'InvalidData',
] as const;
export type ErrorType = (typeof ERROR_TYPES)[number];

/** Retrying cannot help these: the user (or an operator) has to act first. */
export const NON_RETRYABLE_TYPES: readonly ErrorType[] = [
  'ReauthRequired',
  'PermissionDenied',
  'MappingIncomplete',
  'PeriodClosed',
  'InvalidData',
];

/** The system an error comes from: one of the registry's (src/systems), or Koppelwerk itself. */
export type ExternalSystem = SystemId | 'koppelwerk';

/**
 * How the helpers below are told the system: its identity (id + label, the workflow-safe
 * src/systems/<system>/identity.ts) so the Dutch text names it, or just an id.
 */
export type SystemRef = ExternalSystem | { readonly id: SystemId; readonly label: string };

export interface KoppelErrorInit {
  type: ErrorType;
  system: ExternalSystem;
  /** The external system's own code, e.g. Nmbrs "1002", e-Boekhouden "E0023", WerkbonApp "1004". */
  code?: string;
  /** Technical message (English or the system's own text), for operators. */
  message: string;
  /** Oorzaak: what went wrong, in Dutch, for the user. */
  oorzaak: string;
  /** Oplossing: what the user can do about it, in Dutch. */
  oplossing: string;
  /** Only for RateLimited/Transient: how long to wait before retrying. */
  retryAfterMs?: number;
  /** Structured extras, e.g. { missingCodes: ['4105'] }. Never credentials. */
  details?: Record<string, unknown>;
}

export class KoppelError extends Error {
  readonly type: ErrorType;
  readonly system: ExternalSystem;
  readonly code?: string;
  readonly oorzaak: string;
  readonly oplossing: string;
  readonly retryAfterMs?: number;
  readonly details?: Record<string, unknown>;

  constructor(init: KoppelErrorInit) {
    super(init.message);
    this.name = 'KoppelError';
    this.type = init.type;
    this.system = init.system;
    this.code = init.code;
    this.oorzaak = init.oorzaak;
    this.oplossing = init.oplossing;
    this.retryAfterMs = init.retryAfterMs;
    this.details = init.details;
  }

  get retryable(): boolean {
    return !NON_RETRYABLE_TYPES.includes(this.type);
  }

  /** The one-line text a bookkeeper sees in the log. */
  get userMessage(): string {
    return `${this.oorzaak} Oplossing: ${this.oplossing}`;
  }

  toJSON(): KoppelErrorInit {
    return {
      type: this.type,
      system: this.system,
      code: this.code,
      message: this.message,
      oorzaak: this.oorzaak,
      oplossing: this.oplossing,
      retryAfterMs: this.retryAfterMs,
      details: this.details,
    };
  }
}

export function isKoppelError(err: unknown): err is KoppelError {
  return err instanceof KoppelError;
}

/** Network failures, timeouts, 5xx and unparsable responses: retry with backoff. */
export function transientError(system: SystemRef, message: string, retryAfterMs?: number): KoppelError {
  return new KoppelError({
    type: 'Transient',
    system: systemId(system),
    message,
    oorzaak: `${systemLabel(system)} was tijdelijk niet bereikbaar of gaf een onverwacht antwoord.`,
    oplossing: 'Geen actie nodig: de koppeling probeert het automatisch opnieuw.',
    retryAfterMs,
  });
}

export function rateLimitedError(system: SystemRef, retryAfterMs: number, message?: string): KoppelError {
  return new KoppelError({
    type: 'RateLimited',
    system: systemId(system),
    message: message ?? `rate limited, retry after ${retryAfterMs} ms`,
    oorzaak: `${systemLabel(system)} accepteert tijdelijk geen verzoeken meer (limiet bereikt).`,
    oplossing: `Geen actie nodig: de koppeling wacht ${Math.ceil(retryAfterMs / 1000)} seconden en probeert het opnieuw.`,
    retryAfterMs,
  });
}

export function systemId(system: SystemRef): ExternalSystem {
  return typeof system === 'string' ? system : system.id;
}

/** The name users know; an id alone (without its identity) is shown as is. */
export function systemLabel(system: SystemRef): string {
  if (typeof system !== 'string') return system.label;
  return system === 'koppelwerk' ? 'Koppelwerk' : system;
}

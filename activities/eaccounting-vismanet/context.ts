/**
 * What every activity of the eAccounting ↔ Visma.net koppeling shares: the koppeling and its
 * settings, the two clients (credentials and tokens read at call time), the koppeling's
 * collections, the activity log and the tenant notifications, the 429 handling, and how an error
 * becomes a user-facing problem.
 */
import { isKoppelError } from '../../src/domain/errors';
import { KoppelError } from '../../src/domain/errors';
import { EACCOUNTING_VISMANET, eaccountingVismanetSettings, type EaccountingVismanetSettings } from '../../src/koppelingen/eaccounting-vismanet/settings';
import { notifyTenant, type TenantEvent } from '../../src/platform/notify';
import type { ActivityLogInput } from '../../src/store/activity-log';
import { createEaccountingClient, type EaccountingClient } from '../../src/systems/eaccounting/client';
import { createVismanetClient, type VismanetClient, type VismanetCredentials } from '../../src/systems/vismanet/client';
import type { KoppelingDoc } from '../../src/store/types';
import type { ActivityDeps } from '../deps';
import { heartbeat, missingCredentials } from '../support';
import type { EvCycleRef, EvFlow } from './contract';
import { EvStore } from './store';

export interface Loaded {
  k: KoppelingDoc;
  settings: EaccountingVismanetSettings;
}

export function evContext(deps: ActivityDeps) {
  const db = new EvStore(deps.store);

  async function load(koppelingId: string): Promise<Loaded> {
    const k = await deps.koppelingen.get(koppelingId);
    if (!k) {
      throw new KoppelError({ type: 'InvalidData', system: 'koppelwerk', message: `koppeling ${koppelingId} not found`, oorzaak: `Koppeling ${koppelingId} bestaat niet (meer).`, oplossing: 'Geen actie nodig als de koppeling bewust is verwijderd.' });
    }
    if (k.type !== EACCOUNTING_VISMANET) throw new Error(`koppeling ${koppelingId} is of type ${k.type}`);
    await db.ready();
    return { k, settings: eaccountingVismanetSettings.parse(k.settings) };
  }

  /** eAccounting through the koppeling's OAuth2 connection: the token is read per call, a refused one invalidated. */
  function eaccounting(l: Loaded): EaccountingClient {
    return createEaccountingClient({
      baseUrl: deps.config.EACCOUNTING_BASE_URL,
      token: {
        get: async () => {
          const creds = await deps.credentials.read<{ accessToken: string }>(l.k._id, 'eaccounting');
          if (!creds?.accessToken) throw missingCredentials('eaccounting');
          return creds.accessToken;
        },
        refused: (token) => deps.credentials.refusedToken(l.k._id, 'eaccounting', token),
      },
    });
  }

  async function vismanet(l: Loaded, signal?: AbortSignal): Promise<VismanetClient> {
    const creds = await deps.credentials.read<VismanetCredentials & Record<string, string>>(l.k._id, 'vismanet');
    if (!creds?.clientId || !creds.clientSecret || !creds.tenantId) throw missingCredentials('vismanet');
    return createVismanetClient({
      baseUrl: deps.config.VISMANET_BASE_URL,
      credentials: { clientId: creds.clientId, clientSecret: creds.clientSecret, tenantId: creds.tenantId },
      signal,
    });
  }

  async function record(l: Loaded, entries: ActivityLogInput[]): Promise<void> {
    if (entries.length) await deps.activityLog.record(entries, { retentionDays: l.settings.activityRetentionDays });
  }

  /** Tell the tenant (webhook); a delivery problem never fails the item's work. */
  async function notify(event: TenantEvent): Promise<void> {
    await notifyTenant(deps, event).catch(() => undefined);
  }

  /** One activity-log entry for one item. */
  const entry = (ref: EvCycleRef, flow: EvFlow, itemKey: string, e: Omit<ActivityLogInput, 'tenantId' | 'koppelingId' | 'flow' | 'itemKey' | 'at' | 'cycleNo'>): ActivityLogInput => ({
    tenantId: ref.tenantId,
    koppelingId: ref.koppelingId,
    flow,
    itemKey,
    cycleNo: ref.cycleNo,
    at: new Date(),
    ...e,
  });

  return { deps, db, load, eaccounting, vismanet, record, notify, entry };
}

export type EvContext = ReturnType<typeof evContext>;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** How long an answer asks us to wait (a 429's Retry-After), or undefined when it is no rate limit. */
export function retryAfterMs(err: unknown): number | undefined {
  const e = err as { kind?: string; retryAfterSeconds?: number };
  if (e && e.kind === 'rateLimited') return (e.retryAfterSeconds ?? 1) * 1000;
  if (isKoppelError(err) && err.type === 'RateLimited') return err.retryAfterMs ?? 1000;
  return undefined;
}

const isTransient = (err: unknown) => (err as { kind?: string })?.kind === 'transient' || (isKoppelError(err) && err.type === 'Transient');

/**
 * A call that is safe to repeat (a read, or a postOnce, which looks up before it writes again):
 * a 429 waits exactly the Retry-After it was given (heartbeating meanwhile), a transient error a
 * short back-off; after a few tries the error goes to the item.
 */
export async function honouringRetryAfter<T>(fn: () => Promise<T>, opts: { attempts?: number; maxWaitMs?: number } = {}): Promise<T> {
  const attempts = opts.attempts ?? 6;
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (err) {
      const wait = retryAfterMs(err);
      if (i >= attempts || (wait === undefined && !isTransient(err))) throw err;
      const ms = wait !== undefined ? Math.min(wait, opts.maxWaitMs ?? 120_000) : 250 * 2 ** (i - 1);
      for (let left = ms; left > 0; left -= 1000) {
        heartbeat();
        await sleep(Math.min(1000, left));
      }
    }
  }
}

export const isAuth = (err: unknown) =>
  (isKoppelError(err) && (err.type === 'ReauthRequired' || err.type === 'PermissionDenied')) || (err as { kind?: string })?.kind === 'auth';

/** Failures retrying cannot fix: the item waits for a change in the source or a replay. */
export const isStuck = (err: unknown) => {
  const kind = (err as { kind?: string })?.kind;
  if (kind === 'validation' || kind === 'conflict' || kind === 'notFound') return true;
  return err instanceof ItemProblem || (isKoppelError(err) && !err.retryable);
};

/** A problem with one item found by the koppeling itself (duplicate e-mail, no e-mail, datamapper error). */
export class ItemProblem extends Error {
  constructor(
    readonly oorzaak: string,
    readonly oplossing: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(oorzaak);
  }
}

export function problemOf(err: unknown): { oorzaak: string; oplossing: string } {
  const e = err as { oorzaak?: unknown; oplossing?: unknown };
  if (e && typeof e.oorzaak === 'string' && typeof e.oplossing === 'string') return { oorzaak: e.oorzaak, oplossing: e.oplossing };
  return { oorzaak: err instanceof Error ? err.message : String(err), oplossing: 'Geen actie nodig: de koppeling probeert het bij de volgende synchronisatie opnieuw.' };
}

/**
 * What every koppeling's activities need around their external calls: heartbeats that prove the
 * worker is alive, a short in-activity retry for reads, bounded concurrency, cancellation between
 * items, and the "no credentials stored" error in the user's words.
 */
import { Context } from '@temporalio/activity';
import { isKoppelError, KoppelError, type ExternalSystem } from '../src/domain/errors';
import type { KoppelingDoc } from '../src/store/types';
import { getSystem } from '../src/systems';

function currentContext(): Context | undefined {
  try {
    return Context.current();
  } catch {
    return undefined; // not inside an activity (the admin API's preview uses the same code)
  }
}

export function heartbeat(details?: unknown): void {
  currentContext()?.heartbeat(details);
}

/**
 * Heartbeat on a timer while `fn` runs: a killed worker stops them, so Temporal retries the activity
 * after the short heartbeat timeout instead of the long start-to-close timeout.
 */
export async function alive<T>(fn: (ctx?: Context) => Promise<T>): Promise<T> {
  const ctx = currentContext();
  const timer = ctx ? setInterval(() => ctx.heartbeat(), 1_000) : undefined;
  try {
    return await fn(ctx);
  } finally {
    if (timer) clearInterval(timer);
  }
}

/** Stop between items when Temporal gave up on this attempt (timeout) or cancelled it. */
export function checkCancelled(ctx?: Context): void {
  if (ctx?.cancellationSignal.aborted) throw ctx.cancellationSignal.reason ?? new Error('activity cancelled');
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Retry a call that is safe to repeat (a read, or a postOnce, which looks up before it writes
 * again) a few times on transient trouble, so one dropped request does not fail a whole run.
 */
export async function retrying<T>(fn: () => Promise<T>, attempts = 4): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (err) {
      const retryable = isKoppelError(err) && (err.type === 'Transient' || (err.type === 'RateLimited' && (err.retryAfterMs ?? 0) <= 5_000));
      if (!retryable || i >= attempts) throw err;
      heartbeat();
      await sleep(isKoppelError(err) && err.type === 'RateLimited' ? err.retryAfterMs ?? 1_000 : 200 * 2 ** (i - 1));
    }
  }
}

/** Runs `fn` over the items, at most `limit` at a time. */
export async function eachLimited<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await fn(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}

export function missingCredentials(system: ExternalSystem): KoppelError {
  // Where the user finds what to fill in: each system's credentialHelp (src/systems/<system>/system.ts).
  const help = getSystem(system)?.credentialHelp ?? {
    oorzaak: `Er zijn geen inloggegevens voor ${system} opgeslagen bij deze koppeling.`,
    oplossing: `Vul de inloggegevens voor ${system} in bij de koppeling.`,
  };
  return new KoppelError({ type: 'ReauthRequired', system, message: `no ${system} credentials stored`, ...help });
}

/** A koppeling of one type with its settings parsed; a deleted one is a Dutch error, another type a bug. */
export async function loadKoppeling<S>(
  deps: { koppelingen: { get(id: string): Promise<KoppelingDoc | null> } },
  koppelingId: string,
  type: string,
  schema: { parse(settings: unknown): S },
): Promise<{ k: KoppelingDoc; settings: S }> {
  const k = await deps.koppelingen.get(koppelingId);
  if (!k) {
    throw new KoppelError({
      type: 'InvalidData',
      system: 'koppelwerk',
      message: `koppeling ${koppelingId} not found`,
      oorzaak: `Koppeling ${koppelingId} bestaat niet (meer).`,
      oplossing: 'Geen actie nodig als de koppeling bewust is verwijderd.',
    });
  }
  if (k.type !== type) throw new Error(`koppeling ${koppelingId} is of type ${k.type}`);
  return { k, settings: schema.parse(k.settings) };
}

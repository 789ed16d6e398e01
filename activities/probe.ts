/**
 * What every koppeling type's probe shares (see workflows/probes.ts): the koppeling read at call
 * time in ONE MongoDB find, its static credentials from a small in-process cache, and the
 * fingerprint. A due tick whose probe answers the fingerprint of the last good cycle runs no cycle,
 * so the probe must stay this cheap: an idle tick may cost at most 3 MongoDB operations in total.
 *
 * The cache holds decrypted static secrets per (koppeling, system, connection, credentialsVersion):
 * every way new credentials are stored bumps the koppeling's credentialsVersion or points it at
 * another connection (src/services/connections.ts notifyKoppelingen, koppelingen.ts), so a cached
 * secret is never used after a change; the TTL only bounds how long a secret lives in memory.
 * OAuth2 connections and credentials from before connections existed are read the ordinary way.
 */
import type { ExternalSystem } from '../src/domain/errors';
import { contentHash } from '../src/domain/hash';
import type { ProbeResult } from '../src/domain/koppeling-machine';
import type { KoppelingDoc } from '../src/store/types';
import type { ActivityDeps } from './deps';
import { missingCredentials } from './support';

export type { ProbeResult } from '../src/domain/koppeling-machine';

/** What the entity workflow hands a probe: ids only. */
export interface ProbeInput {
  tenantId: string;
  koppelingId: string;
}

export const PROBE_SECRET_TTL_MS = 60 * 60_000;
const MAX_CACHED = 20_000;

interface Cached {
  at: number;
  secret: Record<string, string>;
}

export function probeSupport(deps: ActivityDeps, now: () => number = Date.now) {
  const cache = new Map<string, Cached>();

  /** The koppeling document alone (one find; the status mirror is not needed). */
  async function load(koppelingId: string, type: string): Promise<KoppelingDoc> {
    const k = await deps.store.c.koppelingen.findOne({ _id: koppelingId });
    if (!k) throw new Error(`koppeling ${koppelingId} bestaat niet (meer)`);
    if (k.type !== type) throw new Error(`koppeling ${koppelingId} is of type ${k.type}, not ${type}`);
    return k;
  }

  /** The static secret of each system: from the cache, else one find for all missing connections. */
  async function secrets(k: KoppelingDoc, systems: string[]): Promise<Record<string, Record<string, string>>> {
    const out: Record<string, Record<string, string>> = {};
    const key = (system: string) => `${k._id}|${system}|${k.connections?.[system] ?? ''}|${k.credentialsVersion ?? 0}`;
    const missing: string[] = [];
    for (const system of systems) {
      const hit = cache.get(key(system));
      if (hit && now() - hit.at < PROBE_SECRET_TTL_MS) out[system] = hit.secret;
      else missing.push(system);
    }
    const ids = missing.map((s) => k.connections?.[s]).filter((id): id is string => !!id);
    const docs = ids.length ? await deps.credentials.connections.c.find({ _id: { $in: ids } }).toArray() : [];
    for (const system of missing) {
      const doc = docs.find((d) => d._id === k.connections?.[system]);
      let secret: Record<string, string> | undefined;
      if (doc && doc.kind === 'static') {
        secret = deps.credentials.connections.openSecret<Record<string, string>>(doc);
        if (secret) {
          if (cache.size >= MAX_CACHED) cache.clear();
          cache.set(key(system), { at: now(), secret });
        }
      } else {
        secret = await deps.credentials.read<Record<string, string>>(k._id, system); // OAuth2 or legacy
      }
      if (!secret) throw missingCredentials(system as ExternalSystem);
      out[system] = secret;
    }
    return out;
  }

  return { load, secrets };
}

export type ProbeSupport = ReturnType<typeof probeSupport>;

/**
 * The fingerprint of what a probe saw, bound to the koppeling's configuration and credentials
 * version (a changed setting or mapping then never matches an old watermark). A hash: nothing of
 * the source's content or of a secret reaches the workflow history.
 */
export function fingerprintOf(k: KoppelingDoc, seen: unknown, outstanding = false): ProbeResult {
  const digest = contentHash({ version: k.version ?? 0, credentialsVersion: k.credentialsVersion ?? 0, seen }).slice(0, 32);
  return outstanding ? { fingerprint: digest, outstanding } : { fingerprint: digest };
}

/**
 * The `state` of the authorisation-code flow: random, bound to tenant + connection, single use,
 * expiring after 10 minutes. Only a hash of it is stored (`_id`), with the PKCE verifier sealed.
 * Single use does not rely on an atomic find-and-delete (FerretDB v1 does not promise one across
 * connections): the consumer first inserts a use marker with the same key, a unique insert.
 */
import type { Collection, Db } from 'mongodb';
import { open, seal, type Keyring } from '../domain/crypto';
import { newCodeVerifier, newState, stateKey } from './pkce';

export const STATE_TTL_MS = 10 * 60_000;

export interface OAuthStateDoc {
  _id: string; // stateKey(state)
  tenantId: string;
  connectionId: string;
  system: string;
  redirectUri: string;
  /** The PKCE verifier, sealed (absent when the provider gets no PKCE). */
  verifier?: { keyId: string; data: string };
  createdAt: Date;
  expiresAt: Date;
}

interface StateUseDoc {
  _id: string;
  usedAt: Date;
  expiresAt: Date;
}

export type StateCheck = { ok: true } | { ok: false; reason: 'unknown' | 'used' | 'expired' };

/** Pure: is a stored state still good at `now`? */
export function checkState(doc: Pick<OAuthStateDoc, 'expiresAt'> | null | undefined, now: Date, used = false): StateCheck {
  if (used) return { ok: false, reason: 'used' };
  if (!doc) return { ok: false, reason: 'unknown' };
  if (doc.expiresAt.getTime() <= now.getTime()) return { ok: false, reason: 'expired' };
  return { ok: true };
}

export type ConsumedState = { ok: true; doc: OAuthStateDoc; verifier?: string } | { ok: false; reason: 'unknown' | 'used' | 'expired' };

export class OAuthStateStore {
  private readonly states: Collection<OAuthStateDoc>;
  private readonly uses: Collection<StateUseDoc>;

  constructor(
    db: Db,
    private readonly ring: Keyring,
    private readonly ttlMs = STATE_TTL_MS,
  ) {
    this.states = db.collection<OAuthStateDoc>('oauthStates');
    this.uses = db.collection<StateUseDoc>('oauthStateUses');
  }

  private aad(key: string) {
    return `koppelwerk:oauth-state:${key}`;
  }

  /** A new state for this connection; returns the state and the PKCE verifier (when asked). */
  async create(input: { tenantId: string; connectionId: string; system: string; redirectUri: string; pkce: boolean; now?: Date }) {
    const now = input.now ?? new Date();
    const state = newState();
    const key = stateKey(state);
    const verifier = input.pkce ? newCodeVerifier() : undefined;
    await this.states.insertOne({
      _id: key,
      tenantId: input.tenantId,
      connectionId: input.connectionId,
      system: input.system,
      redirectUri: input.redirectUri,
      ...(verifier ? { verifier: seal(this.ring, verifier, this.aad(key)) } : {}),
      createdAt: now,
      expiresAt: new Date(now.getTime() + this.ttlMs),
    });
    // Housekeeping: states nobody came back for, and old use markers.
    await this.states.deleteMany({ expiresAt: { $lt: new Date(now.getTime() - this.ttlMs) } });
    await this.uses.deleteMany({ expiresAt: { $lt: now } });
    return { state, verifier };
  }

  /** Single use: the first caller gets the state; a replay gets `used`. */
  async consume(state: string, now = new Date()): Promise<ConsumedState> {
    const key = stateKey(state);
    const doc = await this.states.findOne({ _id: key });
    if (!doc) {
      const used = await this.uses.findOne({ _id: key });
      return { ok: false, reason: used ? 'used' : 'unknown' };
    }
    try {
      await this.uses.insertOne({ _id: key, usedAt: now, expiresAt: new Date(now.getTime() + 24 * 3600_000) });
    } catch (err) {
      if (isDuplicateKey(err)) return { ok: false, reason: 'used' };
      throw err;
    }
    await this.states.deleteOne({ _id: key });
    const check = checkState(doc, now);
    if (!check.ok) return check;
    return { ok: true, doc, verifier: doc.verifier ? open<string>(this.ring, doc.verifier, this.aad(key)) : undefined };
  }
}

export function isDuplicateKey(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: number }).code === 11000;
}

/**
 * Access tokens of OAuth2 connections, refreshed ahead of expiry and single-flight per connection
 * across every worker process.
 *
 * The lock is a document `refresh:<connectionId>` in `locks`, taken by a unique insert (atomic on
 * FerretDB and MongoDB alike) with an expiry: a holder that crashed is taken over once it expired.
 * The winner re-reads the connection under the lock and refreshes only if the token still needs it
 * (rotation safety: a provider that cancels the old refresh token when it issues a new one must
 * never see two refreshes with the same token). The others wait for the connection's version to
 * change and read the new token. A refused refresh (`invalid_grant`) marks the connection
 * unauthorised; every koppeling on it then gets ReauthRequired with the authorise link on its
 * next token need, and parks in WAITING_REAUTH.
 */
import { getSystem } from '../systems';
import { randomBytes } from 'node:crypto';
import type { Collection, Db } from 'mongodb';
import { KoppelError, transientError, type ExternalSystem } from '../domain/errors';
import type { ConnectionDoc, ConnectionStore, OAuthTokens } from '../store/connections';
import { tokenRequest } from './client';
import { expiryFrom, needsRefresh, REFRESH_BUFFER_MS } from './expiry';
import { isDuplicateKey } from './state';
import { oauth2SystemFor } from './systems';

interface LockDoc {
  _id: string;
  holder: string;
  expiresAt: Date;
}

export interface TokenServiceOptions {
  /** Refresh this long before expiry (default 5 minutes). */
  bufferMs?: number;
  /** A lock older than this is taken over (its holder crashed). */
  lockTtlMs?: number;
  /** How long a caller waits for another process's refresh before giving up (Transient). */
  waitMs?: number;
  pollMs?: number;
  /** Where users authorise: `${publicUrl}/connections/<id>/authorize`. */
  publicUrl?: string;
}

const asSystem = (s: string): ExternalSystem => getSystem(s)?.id ?? 'koppelwerk';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function authorizeLink(publicUrl: string | undefined, connectionId: string): string {
  return `${(publicUrl ?? '').replace(/\/$/, '')}/connections/${connectionId}/authorize`;
}

/** The error every koppeling on an unauthorised connection gets: parks it in WAITING_REAUTH. */
export function reauthRequired(doc: Pick<ConnectionDoc, '_id' | 'system' | 'name' | 'health'>, publicUrl: string | undefined, reason: string): KoppelError {
  const label = oauth2SystemFor(doc.system)?.label ?? doc.system;
  const link = authorizeLink(publicUrl, doc._id);
  return new KoppelError({
    type: 'ReauthRequired',
    system: asSystem(doc.system),
    code: 'OAUTH_REAUTH',
    message: `connection ${doc._id} (${doc.system}) needs authorisation: ${reason}`,
    oorzaak: `De verbinding "${doc.name}" met ${label} is niet (meer) geautoriseerd: ${reason}.`,
    oplossing: `Autoriseer de verbinding opnieuw via ${link} (log in bij ${label} en geef toestemming). Daarna gaan alle koppelingen op deze verbinding vanzelf verder.`,
    details: { connectionId: doc._id, authorizeUrl: link },
  });
}

export class TokenService {
  private readonly locks: Collection<LockDoc>;
  private readonly holder = `${process.pid}-${randomBytes(6).toString('hex')}`;
  private readonly inflight = new Map<string, Promise<OAuthTokens>>();
  private readonly bufferMs: number;
  private readonly lockTtlMs: number;
  private readonly waitMs: number;
  private readonly pollMs: number;
  /** Refreshes this process made (tests and metrics). */
  refreshes = 0;

  constructor(
    db: Db,
    private readonly connections: ConnectionStore,
    private readonly opts: TokenServiceOptions = {},
  ) {
    this.locks = db.collection<LockDoc>('locks');
    this.bufferMs = opts.bufferMs ?? REFRESH_BUFFER_MS;
    this.lockTtlMs = opts.lockTtlMs ?? 30_000;
    this.waitMs = opts.waitMs ?? 45_000;
    this.pollMs = opts.pollMs ?? 150;
  }

  /** A valid access token of this OAuth2 connection, refreshed first when it is close to expiry. */
  async accessToken(connectionId: string): Promise<OAuthTokens> {
    const doc = await this.load(connectionId);
    if (!needsRefresh(doc.health.expiresAt ?? undefined, new Date(), this.bufferMs)) return this.tokensOf(doc);
    // One refresh attempt per process at a time; other processes are held off by the lock.
    let p = this.inflight.get(connectionId);
    if (!p) {
      p = this.refreshShared(connectionId).finally(() => this.inflight.delete(connectionId));
      this.inflight.set(connectionId, p);
    }
    return p;
  }

  /**
   * The provider refused `accessToken` before its recorded expiry (expired early, e.g. Visma's
   * 401/4005): mark it expired, but only while it is still the stored token, so the next
   * accessToken() refreshes (single-flight) and a token another caller already replaced stays.
   */
  async invalidate(connectionId: string, accessToken: string): Promise<void> {
    const doc = await this.connections.get(connectionId);
    if (!doc?.data || doc.kind !== 'oauth2') return;
    const t = this.connections.openSecret<OAuthTokens>(doc);
    if (t?.accessToken !== accessToken) return;
    await this.connections.c.updateOne({ _id: connectionId, version: doc.version }, { $set: { 'health.expiresAt': new Date(0) } });
  }

  private async load(connectionId: string): Promise<ConnectionDoc> {
    const doc = await this.connections.get(connectionId);
    if (!doc) throw new Error(`connection ${connectionId} does not exist`);
    if (!doc.health.authorized || !doc.data) {
      throw reauthRequired(doc, this.opts.publicUrl, doc.health.lastError ?? 'er is nog geen toestemming gegeven');
    }
    return doc;
  }

  private tokensOf(doc: ConnectionDoc): OAuthTokens {
    const t = this.connections.openSecret<OAuthTokens>(doc);
    if (!t?.accessToken) throw reauthRequired(doc, this.opts.publicUrl, 'er is geen toegangstoken opgeslagen');
    return t;
  }

  private async refreshShared(connectionId: string): Promise<OAuthTokens> {
    const deadline = Date.now() + this.waitMs;
    for (;;) {
      const doc = await this.load(connectionId);
      if (!needsRefresh(doc.health.expiresAt ?? undefined, new Date(), this.bufferMs)) return this.tokensOf(doc);
      if (await this.tryLock(connectionId)) {
        try {
          return await this.refreshLocked(connectionId);
        } finally {
          await this.locks.deleteOne({ _id: `refresh:${connectionId}`, holder: this.holder }).catch(() => undefined);
        }
      }
      // Another process refreshes: wait until the connection changes or its lock is gone.
      for (;;) {
        if (Date.now() > deadline) {
          throw transientError(asSystem(doc.system), `waited ${this.waitMs} ms for another process to refresh connection ${connectionId}`);
        }
        await sleep(this.pollMs + Math.floor(Math.random() * this.pollMs));
        const now = await this.connections.c.findOne({ _id: connectionId }, { projection: { version: 1 } });
        if (!now || now.version !== doc.version) break;
        const lock = await this.locks.findOne({ _id: `refresh:${connectionId}` });
        if (!lock || lock.expiresAt.getTime() < Date.now()) break;
      }
    }
  }

  /** A unique insert; a lock past its expiry (the holder crashed) is removed and taken. */
  private async tryLock(connectionId: string): Promise<boolean> {
    const _id = `refresh:${connectionId}`;
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        await this.locks.insertOne({ _id, holder: this.holder, expiresAt: new Date(Date.now() + this.lockTtlMs) });
        return true;
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
      }
      const cur = await this.locks.findOne({ _id });
      if (cur && cur.expiresAt.getTime() >= Date.now()) return false;
      // Stale (or just released): remove exactly that lock, then race for it with a unique insert.
      if (cur) await this.locks.deleteOne({ _id, holder: cur.holder, expiresAt: cur.expiresAt });
    }
    return false;
  }

  private async refreshLocked(connectionId: string): Promise<OAuthTokens> {
    // Re-read under the lock: another process may have refreshed between our read and our lock.
    const doc = await this.load(connectionId);
    if (!needsRefresh(doc.health.expiresAt ?? undefined, new Date(), this.bufferMs)) return this.tokensOf(doc);
    const def = oauth2SystemFor(doc.system);
    if (!def) throw new Error(`no OAuth2 definition for system ${doc.system}`);
    const old = this.tokensOf(doc);
    if (!old.refreshToken) {
      await this.connections.markUnauthorized(connectionId, 'het toegangstoken is verlopen en er is geen refresh-token');
      throw reauthRequired(doc, this.opts.publicUrl, 'het toegangstoken is verlopen en er is geen refresh-token');
    }
    const started = new Date();
    const res = await tokenRequest(def, { grant_type: 'refresh_token', refresh_token: old.refreshToken });
    if (!res.ok) {
      if (res.error === 'invalid_grant') {
        const why = `${def.label} weigerde het vernieuwen van de toegang (invalid_grant${res.description ? `: ${res.description}` : ''})`;
        await this.connections.markUnauthorized(connectionId, why);
        throw reauthRequired(doc, this.opts.publicUrl, why);
      }
      await this.connections.noteError(connectionId, `vernieuwen mislukt: ${res.error}${res.description ? ` (${res.description})` : ''}`);
      throw transientError(asSystem(doc.system), `token refresh of connection ${connectionId} failed: ${res.error}`);
    }
    this.refreshes++;
    const tokens: OAuthTokens = {
      accessToken: res.tokens.access_token,
      // Rotation: always keep the newest refresh token; a provider that does not rotate sends none.
      refreshToken: res.tokens.refresh_token ?? old.refreshToken,
      tokenType: res.tokens.token_type ?? old.tokenType,
      scope: res.tokens.scope ?? old.scope,
    };
    // Under the lock the provider's newest token set is ours: store it whatever was written meanwhile.
    await this.connections.storeTokens(connectionId, tokens, { expiresAt: expiryFrom(started, res.tokens.expires_in), refreshed: true });
    return tokens;
  }
}

/**
 * Connections: a tenant's authorised account at one external system, shared by the koppelingen
 * that refer to it (`koppeling.connections[system]`). The secret is sealed with AES-256-GCM and
 * bound to the connection id (AAD). `static`: fields the user typed (API token, security codes);
 * `oauth2`: the token set from the authorisation-code flow, refreshed by src/oauth/tokens.ts.
 *
 * A connection made from given credentials (inline at POST /koppelingen, the start-up migration,
 * POST /connections) reuses an identical one: same tenant, system and secret content (an HMAC of
 * it, `contentHash`). Its id is derived from that hash, so two processes creating the same one at
 * once meet at a unique `_id` insert instead of making two.
 */
import { rememberSecrets } from '../platform/log';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import type { Collection, Db } from 'mongodb';
import { canonicalJson } from '../domain/hash';
import { open, seal, type Keyring } from '../domain/crypto';
import { isDuplicateKey } from '../oauth/state';

export type ConnectionKind = 'static' | 'oauth2';

export interface ConnectionHealth {
  /** Usable: static credentials stored, or OAuth2 tokens that were not refused. Grey/red logo otherwise. */
  authorized: boolean;
  /** OAuth2: when the access token expires. */
  expiresAt?: Date;
  lastAuthorizedAt?: Date;
  lastRefreshAt?: Date;
  lastError?: string;
  lastErrorAt?: Date;
}

export interface OAuthTokens {
  accessToken: string;
  refreshToken?: string;
  tokenType?: string;
  scope?: string;
}

export interface ConnectionDoc {
  _id: string; // c_…
  tenantId: string;
  system: string;
  name: string;
  kind: ConnectionKind;
  /** Sealed secret: the fields (static) or OAuthTokens (oauth2). Absent until authorised. */
  keyId?: string;
  data?: string;
  /** Names of the secret's fields (never values), for the API. */
  fields: string[];
  /** HMAC of tenant + system + secret (static only): finds an identical connection. */
  contentHash?: string;
  /** Bumped on every secret change (also each refresh): waiting refreshers watch it. */
  version: number;
  health: ConnectionHealth;
  /** Set for connections made by the start-up migration: `${koppelingId}:${system}`. */
  migratedFrom?: string[];
  createdAt: Date;
  updatedAt: Date;
}

export function newConnectionId(): string {
  return `c_${randomBytes(10).toString('hex')}`;
}

export class ConnectionStore {
  readonly c: Collection<ConnectionDoc>;
  private readonly hashKey: Buffer;
  private indexes?: Promise<void>;

  constructor(
    db: Db,
    private readonly ring: Keyring,
  ) {
    this.c = db.collection<ConnectionDoc>('connections');
    // Derived from the active credentials key: the hash reveals nothing without it.
    this.hashKey = createHash('sha256').update('koppelwerk:connection-content:').update(ring.keys[ring.activeKeyId]).digest();
  }

  ready(): Promise<void> {
    this.indexes ??= (async () => {
      await this.c.createIndex({ tenantId: 1, system: 1, contentHash: 1 }, { name: 'tenant_system_content' });
    })();
    return this.indexes;
  }

  private aad(id: string) {
    return `koppelwerk:connection:${id}`;
  }

  contentHash(tenantId: string, system: string, secret: Record<string, string>): string {
    return createHmac('sha256', this.hashKey).update(canonicalJson({ tenantId, system, secret })).digest('hex');
  }

  get(id: string): Promise<ConnectionDoc | null> {
    return this.c.findOne({ _id: id });
  }

  /** Connections whose credentials were refused at or after `since` and are still unauthorised. */
  async refusedSince(since: Date): Promise<ConnectionDoc[]> {
    await this.ready();
    return this.c.find({ 'health.authorized': false, 'health.lastErrorAt': { $gte: since } }).toArray();
  }

  async list(filter: { tenantId?: string; system?: string }): Promise<ConnectionDoc[]> {
    await this.ready();
    const q: Record<string, string> = {};
    if (filter.tenantId) q.tenantId = filter.tenantId;
    if (filter.system) q.system = filter.system;
    return this.c.find(q).sort({ createdAt: 1 }).toArray();
  }

  /** The static connection with exactly this secret, made if there is none. Safe to run concurrently. */
  async ensureStatic(tenantId: string, system: string, secret: Record<string, string>, opts: { name?: string; migratedFrom?: string } = {}): Promise<{ doc: ConnectionDoc; created: boolean }> {
    await this.ready();
    const hash = this.contentHash(tenantId, system, secret);
    const found = await this.c.findOne({ tenantId, system, contentHash: hash });
    if (found) return { doc: await this.noteMigrated(found, opts.migratedFrom), created: false };
    const derivedId = `c_${hash.slice(0, 20)}`;
    for (const id of [derivedId, newConnectionId()]) {
      const doc = this.staticDoc(id, tenantId, system, secret, hash, opts);
      try {
        await this.c.insertOne(doc);
        return { doc, created: true };
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        const other = await this.c.findOne({ _id: id });
        // Made by a concurrent caller with the same content: reuse it.
        if (other?.contentHash === hash) return { doc: await this.noteMigrated(other, opts.migratedFrom), created: false };
        // The derived id is taken by a connection whose secret was changed since: use a random one.
      }
    }
    throw new Error('could not allocate a connection id');
  }

  private staticDoc(id: string, tenantId: string, system: string, secret: Record<string, string>, hash: string, opts: { name?: string; migratedFrom?: string }): ConnectionDoc {
    const box = seal(this.ring, secret, this.aad(id));
    const now = new Date();
    return {
      _id: id,
      tenantId,
      system,
      name: opts.name ?? system,
      kind: 'static',
      keyId: box.keyId,
      data: box.data,
      fields: Object.keys(secret).sort(),
      contentHash: hash,
      version: 1,
      health: { authorized: true, lastAuthorizedAt: now },
      ...(opts.migratedFrom ? { migratedFrom: [opts.migratedFrom] } : {}),
      createdAt: now,
      updatedAt: now,
    };
  }

  private async noteMigrated(doc: ConnectionDoc, from?: string): Promise<ConnectionDoc> {
    if (from && !doc.migratedFrom?.includes(from)) await this.c.updateOne({ _id: doc._id }, { $addToSet: { migratedFrom: from } });
    return doc;
  }

  /** A new OAuth2 connection, not authorised yet. */
  async createOAuth2(tenantId: string, system: string, name: string): Promise<ConnectionDoc> {
    await this.ready();
    const now = new Date();
    const doc: ConnectionDoc = {
      _id: newConnectionId(),
      tenantId,
      system,
      name,
      kind: 'oauth2',
      fields: [],
      version: 1,
      health: { authorized: false },
      createdAt: now,
      updatedAt: now,
    };
    await this.c.insertOne(doc);
    return doc;
  }

  /** Replace a static connection's secret (every koppeling on it uses the new one). */
  async replaceStatic(id: string, secret: Record<string, string>): Promise<ConnectionDoc | null> {
    const cur = await this.get(id);
    if (!cur) return null;
    const box = seal(this.ring, secret, this.aad(id));
    const now = new Date();
    return this.c.findOneAndUpdate(
      { _id: id },
      {
        $set: {
          keyId: box.keyId,
          data: box.data,
          fields: Object.keys(secret).sort(),
          contentHash: this.contentHash(cur.tenantId, cur.system, secret),
          health: { authorized: true, lastAuthorizedAt: now },
          updatedAt: now,
        },
        $inc: { version: 1 },
      },
      { returnDocument: 'after' },
    );
  }

  rename(id: string, name: string) {
    return this.c.findOneAndUpdate({ _id: id }, { $set: { name, updatedAt: new Date() } }, { returnDocument: 'after' });
  }

  openSecret<T>(doc: ConnectionDoc): T | undefined {
    if (!doc.keyId || !doc.data) return undefined;
    const secret = open<T>(this.ring, { keyId: doc.keyId, data: doc.data }, this.aad(doc._id));
    rememberSecrets(secret as Record<string, unknown>); // never in a log line, whatever key it ends up under
    return secret;
  }

  /**
   * Store a token set (code exchange or refresh). With `ifVersion`, only if nobody wrote since
   * (a refresh that lost a race must not overwrite the newer tokens); returns whether it wrote.
   */
  async storeTokens(id: string, tokens: OAuthTokens, health: { expiresAt?: Date; refreshed?: boolean }, ifVersion?: number): Promise<boolean> {
    const box = seal(this.ring, tokens, this.aad(id));
    const now = new Date();
    const set: Record<string, unknown> = {
      keyId: box.keyId,
      data: box.data,
      fields: Object.keys(tokens).filter((k) => tokens[k as keyof OAuthTokens] !== undefined).sort(),
      'health.authorized': true,
      'health.expiresAt': health.expiresAt ?? null,
      'health.lastError': null,
      'health.lastErrorAt': null,
      updatedAt: now,
    };
    set[health.refreshed ? 'health.lastRefreshAt' : 'health.lastAuthorizedAt'] = now;
    const res = await this.c.updateOne({ _id: id, ...(ifVersion !== undefined ? { version: ifVersion } : {}) }, { $set: set, $inc: { version: 1 } });
    return res.modifiedCount === 1;
  }

  /** The provider refused the tokens: the connection needs a new authorisation. */
  /** A static connection's credentials were accepted again. */
  async markAuthorized(id: string): Promise<void> {
    const now = new Date();
    await this.c.updateOne(
      { _id: id },
      { $set: { 'health.authorized': true, 'health.lastAuthorizedAt': now, 'health.lastError': null, 'health.lastErrorAt': null, updatedAt: now } },
    );
  }

  async markUnauthorized(id: string, error: string): Promise<void> {
    const now = new Date();
    await this.c.updateOne(
      { _id: id },
      { $set: { 'health.authorized': false, 'health.lastError': error, 'health.lastErrorAt': now, updatedAt: now }, $inc: { version: 1 } },
    );
  }

  /** A failure that leaves the connection usable (provider down): recorded for the API. */
  async noteError(id: string, error: string): Promise<void> {
    const now = new Date();
    await this.c.updateOne({ _id: id }, { $set: { 'health.lastError': error, 'health.lastErrorAt': now } });
  }
}

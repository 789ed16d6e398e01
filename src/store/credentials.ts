/**
 * Credentials as activities and the koppeling service see them: per koppeling and external
 * system, resolved through the koppeling's connection (`koppeling.connections[system]`, see
 * ./connections.ts). Only activities call `read`, at call time; workflows only ever see versions.
 *
 * Before connections existed, credentials were sealed per (koppeling, system) in `credentials`
 * (bound to the koppeling via AAD). Those documents are kept (nothing is deleted); `migrate`, run
 * at API start-up, makes a connection for each and points the koppeling at it. Until then `read`
 * falls back to them.
 */
import type { Keyring } from '../domain/crypto';
import { open } from '../domain/crypto';
import { isOAuth2System } from '../oauth/systems';
import { TokenService, type TokenServiceOptions } from '../oauth/tokens';
import { ConnectionStore, type ConnectionDoc, type OAuthTokens } from './connections';
import { rememberSecrets } from '../platform/log';
import type { Store } from './mongo';

export class CredentialStore {
  readonly connections: ConnectionStore;
  readonly tokens: TokenService;

  constructor(
    private readonly store: Store,
    private readonly ring: Keyring,
    tokenOptions: TokenServiceOptions = {},
  ) {
    this.connections = new ConnectionStore(store.db, ring);
    this.tokens = new TokenService(store.db, this.connections, tokenOptions);
  }

  private legacyAad(koppelingId: string, system: string): string {
    return `koppelwerk:credentials:${koppelingId}:${system}`;
  }

  /**
   * Give a koppeling these credentials for one system: the identical connection of its tenant,
   * or a new one, and the koppeling refers to it. Returns the connection's version.
   */
  async put(tenantId: string, koppelingId: string, system: string, secret: Record<string, string>): Promise<number> {
    const doc = await this.connect(tenantId, system, secret);
    await this.attach(koppelingId, system, doc._id);
    return doc.version;
  }

  /** The tenant's static connection with this secret (made if new), not yet attached: a new koppeling takes it in its first write. */
  async connect(tenantId: string, system: string, secret: Record<string, string>): Promise<ConnectionDoc> {
    rememberSecrets(secret); // never in a log line, whatever key it ends up under
    return (await this.connections.ensureStatic(tenantId, system, secret)).doc;
  }

  /** Point a koppeling at a connection for one system. */
  /**
   * The system refused this koppeling's stored credentials (a ReauthRequired cycle): its static
   * connection shows it (the seeds' red logo, with the reason), and the reconciler parks the other
   * koppelingen on it. OAuth2 connections mark themselves when a refresh is refused.
   */
  async markRefused(koppelingId: string, system: string, error: string): Promise<void> {
    const c = await this.connectionOf(koppelingId, system);
    if (c && c.kind === 'static' && c.health?.authorized !== false) await this.connections.markUnauthorized(c._id, error);
  }

  /** The credentials worked again after a reauthorisation: the connection is healthy. */
  async markWorking(koppelingId: string, system: string): Promise<void> {
    const c = await this.connectionOf(koppelingId, system);
    if (c && c.kind === 'static' && c.health?.authorized === false) await this.connections.markAuthorized(c._id);
  }

  async attach(koppelingId: string, system: string, connectionId: string): Promise<void> {
    await this.store.c.koppelingen.updateOne({ _id: koppelingId }, { $set: { [`connections.${system}`]: connectionId } });
  }

  private async connectionOf(koppelingId: string, system: string): Promise<ConnectionDoc | null | undefined> {
    const k = await this.store.c.koppelingen.findOne({ _id: koppelingId }, { projection: { connections: 1 } });
    const id = k?.connections?.[system];
    return id ? this.connections.get(id) : undefined;
  }

  /**
   * The secret of a koppeling's system: the static fields, or for an OAuth2 connection
   * `{ accessToken, tokenType }` (refreshed first when close to expiry; ReauthRequired with the
   * authorise link when the connection is not authorised).
   */
  async read<T extends Record<string, string>>(koppelingId: string, system: string): Promise<T | undefined> {
    const c = await this.connectionOf(koppelingId, system);
    if (c === undefined) return this.readLegacy<T>(koppelingId, system);
    if (!c) return undefined;
    if (c.kind === 'oauth2') {
      const t: OAuthTokens = await this.tokens.accessToken(c._id);
      return { accessToken: t.accessToken, tokenType: t.tokenType ?? 'Bearer' } as unknown as T;
    }
    return this.connections.openSecret<T>(c);
  }

  /** The OAuth2 access token this koppeling's call was refused with: refresh before the next read. */
  async refusedToken(koppelingId: string, system: string, accessToken: string): Promise<void> {
    const c = await this.connectionOf(koppelingId, system);
    if (c?.kind === 'oauth2') await this.tokens.invalidate(c._id, accessToken);
  }

  /**
   * What target keys see of a koppeling's system (no token call): the static secret, or for an
   * OAuth2 connection `{ connectionId }` — one authorisation is one account (Visma: one company),
   * so the connection itself is the target.
   */
  async readStatic<T extends Record<string, string>>(koppelingId: string, system: string): Promise<T | undefined> {
    const c = await this.connectionOf(koppelingId, system);
    if (c === undefined) return this.readLegacy<T>(koppelingId, system);
    if (c?.kind === 'oauth2') return { connectionId: c._id } as unknown as T;
    return c?.kind === 'static' ? this.connections.openSecret<T>(c) : undefined;
  }

  /** A connection's part of a target key by connection id: the static secret, `{ connectionId }` for OAuth2, undefined if unknown. */
  async staticSecretOf(connectionId: string): Promise<Record<string, string> | undefined> {
    const c = await this.connections.get(connectionId);
    if (c?.kind === 'oauth2') return { connectionId: c._id };
    return c?.kind === 'static' ? this.connections.openSecret<Record<string, string>>(c) : undefined;
  }

  private async readLegacy<T>(koppelingId: string, system: string): Promise<T | undefined> {
    const doc = await this.store.c.credentials.findOne({ _id: `${koppelingId}:${system}` });
    if (!doc) return undefined;
    const secret = open<T>(this.ring, { keyId: doc.keyId, data: doc.data }, this.legacyAad(koppelingId, system));
    rememberSecrets(secret as Record<string, unknown>);
    return secret;
  }

  async systems(koppelingId: string): Promise<string[]> {
    const k = await this.store.c.koppelingen.findOne({ _id: koppelingId }, { projection: { connections: 1 } });
    const legacy = await this.store.c.credentials.find({ koppelingId }, { projection: { system: 1 } }).toArray();
    return [...new Set([...Object.keys(k?.connections ?? {}), ...legacy.map((d) => d.system)])];
  }

  /**
   * Start-up migration: every per-koppeling credential document whose koppeling has no connection
   * for that system gets one (an identical one of the same tenant is reused) and the reference.
   * Idempotent and safe after a crash midway or in two processes at once: the reference is set
   * per system, and identical content meets at one connection id (ConnectionStore.ensureStatic).
   * The old documents stay, marked with the connection they went to.
   */
  async migrate(): Promise<{ migrated: number; reused: number; skipped: number }> {
    const out = { migrated: 0, reused: 0, skipped: 0 };
    // Read first, then write: an open cursor during writes keeps a read open in FerretDB's SQLite.
    for (const doc of await this.store.c.credentials.find({}).toArray()) {
      const k = await this.store.c.koppelingen.findOne({ _id: doc.koppelingId }, { projection: { connections: 1, tenantId: 1 } });
      if (!k || k.connections?.[doc.system]) {
        out.skipped++;
        continue;
      }
      if (isOAuth2System(doc.system)) {
        out.skipped++; // no OAuth2 system stored credentials per koppeling before connections
        continue;
      }
      const secret = open<Record<string, string>>(this.ring, { keyId: doc.keyId, data: doc.data }, this.legacyAad(doc.koppelingId, doc.system));
      const { doc: c, created } = await this.connections.ensureStatic(k.tenantId, doc.system, secret, { migratedFrom: `${doc.koppelingId}:${doc.system}` });
      await this.attach(doc.koppelingId, doc.system, c._id);
      await this.store.c.credentials.updateOne({ _id: doc._id }, { $set: { migratedTo: c._id } });
      if (created) out.migrated++;
      else out.reused++;
    }
    return out;
  }
}

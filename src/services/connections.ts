/**
 * Connection operations that touch MongoDB and Temporal: create (static or OAuth2), list with the
 * koppelingen using each, replace a static secret, and the OAuth2 authorisation-code flow. When a
 * connection gets new credentials or tokens, every koppeling on it gets `reauthorized`.
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { authorizeUrl, tokenRequest } from '../oauth/client';
import { expiryFrom } from '../oauth/expiry';
import { codeChallengeS256 } from '../oauth/pkce';
import type { OAuthStateStore } from '../oauth/state';
import { oauth2SystemFor } from '../oauth/systems';
import { authorizeLink } from '../oauth/tokens';
import type { ConnectionDoc } from '../store/connections';
import type { CredentialStore } from '../store/credentials';
import type { KoppelingStore } from '../store/koppelingen';
import type { Store } from '../store/mongo';
import type { KoppelingDoc } from '../store/types';
import { koppelingWorkflowId } from '../../workflows/koppeling';
import { reauthorizedSignal, reauthRequiredSignal } from '../../workflows/messages';
import { ServiceError, type KoppelingService } from './koppelingen';

/** What the API shows: never a secret, only the names of the fields present. */
export function connectionView(c: ConnectionDoc, koppelingen: string[], publicUrl?: string) {
  const h = c.health ?? { authorized: false };
  return {
    id: c._id,
    tenantId: c.tenantId,
    system: c.system,
    name: c.name,
    kind: c.kind,
    fields: c.fields,
    version: c.version,
    health: {
      authorized: h.authorized,
      // The seeds' logo: in colour when usable, grey when never authorised, red when refused.
      logo: h.authorized ? 'colour' : h.lastError ? 'red' : 'grey',
      expiresAt: h.expiresAt ?? null,
      lastAuthorizedAt: h.lastAuthorizedAt ?? null,
      lastRefreshAt: h.lastRefreshAt ?? null,
      lastError: h.lastError ?? null,
      lastErrorAt: h.lastErrorAt ?? null,
    },
    ...(c.kind === 'oauth2' ? { authorizeUrl: authorizeLink(publicUrl, c._id) } : {}),
    koppelingen,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
  };
}

export type CallbackResult =
  | { ok: true; connection: ConnectionDoc; koppelingen: number }
  | { ok: false; status: number; oorzaak: string; oplossing: string };

export class ConnectionService {
  constructor(
    private readonly store: Store,
    private readonly credentials: CredentialStore,
    private readonly koppelingen: KoppelingStore,
    private readonly states: OAuthStateStore,
    private readonly client: Client,
  ) {}

  get connections() {
    return this.credentials.connections;
  }

  async get(id: string): Promise<ConnectionDoc> {
    const c = await this.connections.get(id);
    if (!c) throw new ServiceError(404, `Verbinding ${id} bestaat niet.`);
    return c;
  }

  /** Static: the identical connection of the tenant is reused (`created: false`). OAuth2: a new, unauthorised one. */
  async create(input: { tenantId: string; system: string; name?: string; credentials?: Record<string, string> }): Promise<{ doc: ConnectionDoc; created: boolean }> {
    if (oauth2SystemFor(input.system)) {
      return { doc: await this.connections.createOAuth2(input.tenantId, input.system, input.name ?? input.system), created: true };
    }
    return this.connections.ensureStatic(input.tenantId, input.system, input.credentials ?? {}, { name: input.name });
  }

  /** Koppelingen referring to each connection (ids), per connection id. */
  async usage(tenantId?: string): Promise<Map<string, string[]>> {
    const docs = await this.store.c.koppelingen
      .find(tenantId ? { tenantId } : {}, { projection: { connections: 1 } })
      .toArray();
    const out = new Map<string, string[]>();
    for (const k of docs) {
      for (const cid of Object.values(k.connections ?? {})) out.set(cid, [...(out.get(cid) ?? []), k._id]);
    }
    return out;
  }

  private onConnection(c: Pick<ConnectionDoc, '_id' | 'system'>): Promise<KoppelingDoc[]> {
    return this.store.c.koppelingen.find({ [`connections.${c.system}`]: c._id }).toArray();
  }

  /**
   * Connections whose credentials were refused since `since` (an OAuth2 refresh got invalid_grant):
   * every linked koppeling on them parks in WAITING_REAUTH now, with the authorise link, instead of
   * at its own next cycle (a daily koppeling would show ACTIVE until tomorrow). Run by the API's
   * reconciler each pass; the query touches only connections with a fresh refusal.
   */
  async parkRefused(since: Date, publicUrl?: string): Promise<number> {
    const refused = await this.connections.refusedSince(since);
    let parked = 0;
    for (const c of refused) {
      const reason =
        `${c.health?.lastError ?? 'De toegang is geweigerd.'} ` +
        `Autoriseer de verbinding "${c.name}" opnieuw: ${authorizeLink(publicUrl, c._id)}`;
      for (const k of await this.onConnection(c)) {
        if (k.lifecycle !== 'linked') continue;
        try {
          await this.client.workflow.getHandle(koppelingWorkflowId(k.tenantId, k._id)).signal(reauthRequiredSignal, { reason });
          parked++;
        } catch (err) {
          if (!(err instanceof WorkflowNotFoundError)) throw err;
        }
      }
    }
    return parked;
  }

  /** Every koppeling on the connection: new credentials version, and `reauthorized` if it runs. */
  async notifyKoppelingen(c: Pick<ConnectionDoc, '_id' | 'system'>): Promise<number> {
    const ks = await this.onConnection(c);
    for (const k of ks) {
      const version = await this.koppelingen.bumpCredentialsVersion(k._id);
      try {
        await this.client.workflow.getHandle(koppelingWorkflowId(k.tenantId, k._id)).signal(reauthorizedSignal, { credentialsVersion: version });
      } catch (err) {
        if (!(err instanceof WorkflowNotFoundError)) throw err;
      }
    }
    return ks.length;
  }

  /**
   * Rename, or replace a static secret. `targets` (the koppeling service) recomputes what each
   * koppeling on it books where, and refuses (409) before anything is written when one would
   * then book what another linked koppeling books.
   */
  async replace(
    c: ConnectionDoc,
    changes: { name?: string; credentials?: Record<string, string> },
    targets?: Pick<KoppelingService, 'targetWith' | 'setTargetKey'>,
  ): Promise<ConnectionDoc> {
    let doc = c;
    const newTargets: Array<[string, string | null]> = [];
    if (changes.credentials && targets) {
      for (const k of await this.onConnection(c)) newTargets.push([k._id, await targets.targetWith(k, c.system, changes.credentials)]);
    }
    if (changes.name !== undefined) doc = (await this.connections.rename(c._id, changes.name)) ?? doc;
    if (changes.credentials) {
      if (c.kind !== 'static') throw new ServiceError(400, 'Een OAuth2-verbinding krijgt haar tokens via /connections/:id/authorize, niet via PUT.');
      doc = (await this.connections.replaceStatic(c._id, changes.credentials)) ?? doc;
      for (const [id, key] of newTargets) await targets!.setTargetKey(id, key);
      await this.notifyKoppelingen(c);
    }
    return doc;
  }

  /** Step 1: a fresh state (+ PKCE) and the provider's authorize URL for the browser. */
  async authorizeUrl(c: ConnectionDoc, redirectUri: string): Promise<string> {
    const def = oauth2SystemFor(c.system);
    if (!def || c.kind !== 'oauth2') throw new ServiceError(400, `Verbinding ${c._id} (${c.system}) gebruikt geen OAuth2.`);
    const { state, verifier } = await this.states.create({ tenantId: c.tenantId, connectionId: c._id, system: c.system, redirectUri, pkce: def.pkce });
    return authorizeUrl(def, { state, redirectUri, codeChallenge: verifier ? codeChallengeS256(verifier) : undefined });
  }

  /** Step 2: the provider sent the browser back. Consumes the state, exchanges the code, stores the tokens. */
  async callback(q: { code?: string; state?: string; error?: string; error_description?: string }): Promise<CallbackResult> {
    const again = 'Start de autorisatie opnieuw vanuit Koppelwerk (de knop "Autoriseren" bij de verbinding).';
    if (!q.state) return { ok: false, status: 400, oorzaak: 'De terugkoppeling van de aanbieder mist de controlewaarde (state).', oplossing: again };
    const consumed = await this.states.consume(q.state);
    if (!consumed.ok) {
      const oorzaak = {
        unknown: 'Deze autorisatielink is onbekend.',
        used: 'Deze autorisatielink is al gebruikt; een link werkt maar één keer.',
        expired: 'Deze autorisatielink is verlopen (na 10 minuten).',
      }[consumed.reason];
      return { ok: false, status: 400, oorzaak, oplossing: again };
    }
    const { doc: st, verifier } = consumed;
    const c = await this.connections.get(st.connectionId);
    // Bound to tenant + connection: the connection must still be that tenant's.
    if (!c || c.tenantId !== st.tenantId || c.system !== st.system) {
      return { ok: false, status: 400, oorzaak: 'De verbinding van deze autorisatie bestaat niet meer.', oplossing: again };
    }
    const def = oauth2SystemFor(c.system);
    if (!def) return { ok: false, status: 500, oorzaak: `Voor ${c.system} is geen OAuth2 ingericht.`, oplossing: 'Neem contact op met de beheerder van Koppelwerk.' };
    if (q.error) {
      const denied = q.error === 'access_denied';
      return {
        ok: false,
        status: 400,
        oorzaak: denied ? `De toestemming bij ${def.label} is geweigerd of geannuleerd.` : `${def.label} meldde een fout: ${q.error}${q.error_description ? ` (${q.error_description})` : ''}.`,
        oplossing: denied ? `${again} Geef daarna toestemming bij ${def.label}.` : again,
      };
    }
    if (!q.code) return { ok: false, status: 400, oorzaak: `${def.label} stuurde geen autorisatiecode mee.`, oplossing: again };
    const started = new Date();
    const res = await tokenRequest(def, {
      grant_type: 'authorization_code',
      code: q.code,
      redirect_uri: st.redirectUri,
      ...(verifier ? { code_verifier: verifier } : {}),
    });
    if (!res.ok) {
      await this.connections.noteError(c._id, `code inwisselen mislukt: ${res.error}`);
      return {
        ok: false,
        status: 502,
        oorzaak: `${def.label} weigerde de autorisatiecode in te wisselen (${res.error}).`,
        oplossing: `${again} Blijft dit gebeuren, neem dan contact op met de beheerder van Koppelwerk.`,
      };
    }
    await this.connections.storeTokens(
      c._id,
      { accessToken: res.tokens.access_token, refreshToken: res.tokens.refresh_token, tokenType: res.tokens.token_type, scope: res.tokens.scope },
      { expiresAt: expiryFrom(started, res.tokens.expires_in) },
    );
    const n = await this.notifyKoppelingen(c);
    return { ok: true, connection: (await this.connections.get(c._id)) ?? c, koppelingen: n };
  }
}

/**
 * A small OAuth2 provider of our own, for tests until the Visma simulators exist: a real HTTP
 * server on a free port, shaped like Visma's IdentityServer (contracts/visma.md §1.1).
 *
 * - GET /authorize: checks client_id and redirect_uri, records the PKCE challenge, and (auto-approve,
 *   the default) redirects to redirect_uri?code&state; `mode: 'deny'` answers error=access_denied;
 *   `autoApprove: false` shows a form that POST /authorize approves.
 * - POST /token (HTTP Basic client auth, form body): authorization_code (single-use code, same
 *   redirect_uri, PKCE S256 verified) and refresh_token with rotation: each new refresh token
 *   cancels the previous one; a used, cancelled or revoked one → 400 {"error":"invalid_grant"}.
 *   Counts refreshes; an optional delay widens race windows.
 * - GET /api/me: 200 with a valid, unexpired Bearer access token, else 401 (Visma's 4005 body).
 * - Control (in process): expire access tokens, revoke every token, change lifetimes.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { OAuth2SystemDef } from '../../src/oauth/systems';

export interface OAuthProviderOptions {
  port?: number;
  clientId?: string;
  clientSecret?: string;
  accessTokenSeconds?: number;
  autoApprove?: boolean;
}

interface CodeRec {
  clientId: string;
  redirectUri: string;
  challenge?: string;
  scope: string;
  used: boolean;
  expiresAt: number;
}

export interface OAuthProvider {
  url: string;
  clientId: string;
  clientSecret: string;
  /** Successful refresh_token grants. */
  refreshCount: number;
  /** Every refresh_token grant asked, including refused ones. */
  refreshAttempts: number;
  /** What the next /authorize does. */
  mode: 'approve' | 'deny';
  accessTokenSeconds: number;
  /** Delay (ms) before answering a refresh: widens the window for concurrent refreshes. */
  refreshDelayMs: number;
  /** The last PKCE verifier check result, for assertions. */
  lastPkce?: 'ok' | 'missing' | 'mismatch' | 'none';
  def(system?: string, over?: Partial<OAuth2SystemDef>): OAuth2SystemDef;
  expireAccessTokens(): void;
  revokeAll(): void;
  close(): Promise<void>;
}

export async function startOAuthProvider(opts: OAuthProviderOptions = {}): Promise<OAuthProvider> {
  const clientId = opts.clientId ?? 'koppelwerk-test';
  const clientSecret = opts.clientSecret ?? `secret-${randomBytes(8).toString('hex')}`;
  const codes = new Map<string, CodeRec>();
  const access = new Map<string, { expiresAt: number; revoked: boolean }>();
  const refresh = new Map<string, { status: 'active' | 'rotated' | 'revoked'; scope: string }>();
  const token = (p: string) => `${p}_${randomBytes(16).toString('base64url')}`;

  const app = express();
  app.use(express.urlencoded({ extended: false }));

  const p: OAuthProvider = {
    url: '',
    clientId,
    clientSecret,
    refreshCount: 0,
    refreshAttempts: 0,
    mode: 'approve',
    accessTokenSeconds: opts.accessTokenSeconds ?? 3600,
    refreshDelayMs: 0,
    def: (system = 'testoauth', over = {}) => ({
      system,
      label: 'Testaanbieder',
      authorizeUrl: `${p.url}/authorize`,
      tokenUrl: `${p.url}/token`,
      clientId,
      clientSecret,
      scopes: ['api', 'offline_access'],
      pkce: true,
      clientAuth: 'basic',
      ...over,
    }),
    expireAccessTokens: () => {
      for (const t of access.values()) t.expiresAt = 0;
    },
    revokeAll: () => {
      for (const t of access.values()) t.revoked = true;
      for (const t of refresh.values()) t.status = 'revoked';
    },
    close: async () => {
      await new Promise<void>((r) => server.close(() => r()));
      server.closeAllConnections();
    },
  };

  const issue = (scope: string) => {
    const at = token('at');
    const rt = token('rt');
    access.set(at, { expiresAt: Date.now() + p.accessTokenSeconds * 1000, revoked: false });
    refresh.set(rt, { status: 'active', scope });
    return { access_token: at, token_type: 'Bearer', expires_in: p.accessTokenSeconds, refresh_token: rt, scope };
  };

  const grantCode = (q: Record<string, string | undefined>, res: express.Response) => {
    if (q.client_id !== clientId) return void res.status(400).send('unknown client_id');
    if (!q.redirect_uri || !q.state) return void res.status(400).send('redirect_uri and state required');
    const back = new URL(q.redirect_uri);
    back.searchParams.set('state', q.state);
    if (p.mode === 'deny') {
      back.searchParams.set('error', 'access_denied');
      return void res.redirect(302, back.toString());
    }
    if (q.code_challenge && q.code_challenge_method !== 'S256') return void res.status(400).send('only S256');
    const code = token('code');
    codes.set(code, { clientId, redirectUri: q.redirect_uri, challenge: q.code_challenge, scope: q.scope ?? '', used: false, expiresAt: Date.now() + 60_000 });
    back.searchParams.set('code', code);
    res.redirect(302, back.toString());
  };

  app.get('/authorize', (req, res) => {
    const q = req.query as Record<string, string | undefined>;
    if (opts.autoApprove === false) {
      const hidden = Object.entries(q)
        .map(([k, v]) => `<input type="hidden" name="${k}" value="${String(v).replace(/"/g, '&quot;')}">`)
        .join('');
      return void res.type('html').send(`<form method="post" action="/authorize">${hidden}<button>Toestaan</button></form>`);
    }
    grantCode(q, res);
  });
  app.post('/authorize', (req, res) => grantCode(req.body as Record<string, string>, res));

  app.post('/token', async (req, res) => {
    const auth = req.header('authorization') ?? '';
    const [id, secret] = Buffer.from(auth.replace(/^Basic /i, ''), 'base64').toString().split(':').map(decodeURIComponent);
    if (!auth.startsWith('Basic ') || id !== clientId || secret !== clientSecret) return void res.status(401).json({ error: 'invalid_client' });
    const b = req.body as Record<string, string | undefined>;
    if (b.grant_type === 'authorization_code') {
      const rec = b.code ? codes.get(b.code) : undefined;
      if (!rec || rec.used || rec.expiresAt < Date.now() || rec.redirectUri !== b.redirect_uri) return void res.status(400).json({ error: 'invalid_grant' });
      rec.used = true;
      if (rec.challenge) {
        if (!b.code_verifier) return void ((p.lastPkce = 'missing'), res.status(400).json({ error: 'invalid_grant', error_description: 'code_verifier missing' }));
        const computed = createHash('sha256').update(b.code_verifier).digest('base64url');
        if (computed !== rec.challenge) return void ((p.lastPkce = 'mismatch'), res.status(400).json({ error: 'invalid_grant', error_description: 'PKCE mismatch' }));
        p.lastPkce = 'ok';
      } else p.lastPkce = 'none';
      return void res.json(issue(rec.scope));
    }
    if (b.grant_type === 'refresh_token') {
      p.refreshAttempts++;
      if (p.refreshDelayMs) await new Promise((r) => setTimeout(r, p.refreshDelayMs));
      const rec = b.refresh_token ? refresh.get(b.refresh_token) : undefined;
      if (!rec || rec.status !== 'active') return void res.status(400).json({ error: 'invalid_grant' });
      rec.status = 'rotated'; // rotation: the new refresh token cancels this one
      p.refreshCount++;
      return void res.json(issue(rec.scope));
    }
    res.status(400).json({ error: 'unsupported_grant_type' });
  });

  app.get('/api/me', (req, res) => {
    const at = (req.header('authorization') ?? '').replace(/^Bearer /i, '');
    const rec = access.get(at);
    if (!rec || rec.revoked || rec.expiresAt < Date.now()) {
      return void res.status(401).json({ ErrorCode: 4005, DeveloperErrorMessage: 'AuthorizationException - Authorization has been denied for this request.' });
    }
    res.json({ ok: true });
  });

  const server = await new Promise<import('node:http').Server>((resolve) => {
    const s = app.listen(opts.port ?? 0, '127.0.0.1', () => resolve(s));
  });
  p.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return p;
}

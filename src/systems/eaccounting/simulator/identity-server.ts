/**
 * The identity server (Visma Online IdentityServer, contract §1.1) as a browser meets it:
 * GET /connect/authorize → login page (e-mail + password) → consent page ("Toestaan") → company
 * picker when the user has several companies and no default company → back to redirect_uri with
 * code and state. POST /connect/token with HTTP Basic client authentication for
 * authorization_code and refresh_token (rotation: a used or cancelled refresh token → 400
 * invalid_grant). The session is a cookie; each authorize request is its own flow.
 */
import { createHash } from 'node:crypto';
import express, { type Request, type Response } from 'express';
import { SESSION_COOKIE } from './inferred';
import type { EaccountingState } from './state';
import type { SimSession } from './types';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="nl"><head><meta charset="utf-8"><title>${esc(title)} – Visma</title>
<style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:4rem auto;color:#222}label{display:block;margin:.6rem 0}input[type=email],input[type=password]{width:100%;padding:.4rem}.error{color:#b00}</style>
</head><body><h1>${esc(title)}</h1>
${body}
</body></html>
`;
}

function cookies(req: Request): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (req.header('cookie') ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0) out[part.slice(0, i).trim()] = decodeURIComponent(part.slice(i + 1).trim());
  }
  return out;
}

/** One flow per authorize request: its query, order-independent. */
function flowKey(query: Record<string, unknown>): string {
  const sorted = Object.keys(query)
    .sort()
    .map((k) => `${k}=${String(query[k])}`)
    .join('&');
  return createHash('sha256').update(sorted).digest('hex').slice(0, 32);
}

/** ReturnUrl may only point back at our own authorize endpoint (no open redirect). */
function returnUrlOf(raw: unknown): URL | undefined {
  if (typeof raw !== 'string' || !raw.startsWith('/connect/authorize?')) return undefined;
  return new URL(raw, 'http://identity.local');
}

const hidden = (name: string, value: string) => `<input type="hidden" name="${esc(name)}" value="${esc(value)}">`;

export function identityRouter(state: EaccountingState): express.Router {
  const r = express.Router();
  const form = express.urlencoded({ extended: false });

  const sessionOf = (req: Request): SimSession | undefined => state.session(cookies(req)[SESSION_COOKIE]);

  const badRequest = (res: Response, why: string) => res.status(400).type('html').send(page('Fout', `<p class="error">${esc(why)}</p>`));

  r.get('/connect/authorize', (req, res) => {
    const q = req.query as Record<string, string | undefined>;
    const client = state.client(q.client_id);
    // Never redirect to an unregistered URI: the error is shown here.
    if (!client) return void badRequest(res, 'Onbekende client_id.');
    if (!q.redirect_uri || !state.redirectAllowed(client.clientId, q.redirect_uri)) return void badRequest(res, 'redirect_uri is niet geregistreerd voor deze client.');
    const back = new URL(q.redirect_uri);
    if (q.state) back.searchParams.set('state', q.state);
    if (q.response_type !== 'code') {
      back.searchParams.set('error', 'unsupported_response_type');
      return void res.redirect(302, back.toString());
    }
    const scopes = (q.scope ?? '').split(/\s+/).filter(Boolean);
    if (!scopes.includes('ea:api')) {
      back.searchParams.set('error', 'invalid_scope');
      return void res.redirect(302, back.toString());
    }
    if (q.code_challenge && q.code_challenge_method !== 'S256') return void badRequest(res, 'Alleen code_challenge_method S256 wordt ondersteund.');
    const here = req.originalUrl;
    const key = flowKey(q);
    const session = sessionOf(req);
    const flow = session?.flows[key];
    if (!session || !flow) return void res.redirect(302, `/account/login?ReturnUrl=${encodeURIComponent(here)}`);
    if (!flow.consented) return void res.redirect(302, `/consent?ReturnUrl=${encodeURIComponent(here)}`);
    const user = state.user(session.email)!;
    const forcePicker = (q.prompt ?? '').split(/\s+/).includes('select_account');
    let companyId = flow.companyId;
    if (!companyId && user.defaultCompanyId && !forcePicker) companyId = user.defaultCompanyId;
    if (!companyId && user.companies.length === 1 && !forcePicker) companyId = user.companies[0];
    if (!companyId) return void res.redirect(302, `/account/selectcompany?ReturnUrl=${encodeURIComponent(here)}`);
    delete session.flows[key];
    const code = state.issueCode({ clientId: client.clientId, redirectUri: q.redirect_uri, email: user.email, companyId, scope: scopes.join(' '), challenge: q.code_challenge });
    back.searchParams.set('code', code);
    back.searchParams.set('scope', scopes.join(' '));
    res.redirect(302, back.toString());
  });

  const loginPage = (returnUrl: string, error?: string) =>
    page(
      'Inloggen bij Visma',
      `${error ? `<p class="error">${esc(error)}</p>` : ''}
<form method="post" action="/account/login">
${hidden('ReturnUrl', returnUrl)}
<label>E-mailadres <input type="email" name="Email" autocomplete="username" required></label>
<label>Wachtwoord <input type="password" name="Password" autocomplete="current-password" required></label>
<button type="submit">Inloggen</button>
</form>`,
    );

  r.get('/account/login', (req, res) => {
    const ret = returnUrlOf(req.query.ReturnUrl);
    if (!ret) return void badRequest(res, 'Ongeldige ReturnUrl.');
    res.type('html').send(loginPage(String(req.query.ReturnUrl)));
  });

  r.post('/account/login', form, (req, res) => {
    const b = req.body as Record<string, string | undefined>;
    const ret = returnUrlOf(b.ReturnUrl);
    if (!ret) return void badRequest(res, 'Ongeldige ReturnUrl.');
    const session = state.login(b.Email ?? '', b.Password ?? '');
    if (!session) return void res.status(200).type('html').send(loginPage(b.ReturnUrl!, 'Onjuist e-mailadres of wachtwoord.'));
    session.flows[flowKey(Object.fromEntries(ret.searchParams))] = { consented: false };
    res.setHeader('set-cookie', `${SESSION_COOKIE}=${session.id}; Path=/; HttpOnly; SameSite=Lax`);
    res.redirect(302, b.ReturnUrl!);
  });

  /** Login-protected pages of one flow: the session and the flow's state, or a new login. */
  const inFlow = (req: Request, res: Response, raw: unknown) => {
    const ret = returnUrlOf(raw);
    if (!ret) return void badRequest(res, 'Ongeldige ReturnUrl.');
    const session = sessionOf(req);
    const flow = session?.flows[flowKey(Object.fromEntries(ret.searchParams))];
    if (!session || !flow) return void res.redirect(302, `/account/login?ReturnUrl=${encodeURIComponent(String(raw))}`);
    return { ret, session, flow, returnUrl: String(raw) };
  };

  r.get('/consent', (req, res) => {
    const f = inFlow(req, res, req.query.ReturnUrl);
    if (!f) return;
    const client = state.client(f.ret.searchParams.get('client_id') ?? undefined);
    const scopes = (f.ret.searchParams.get('scope') ?? '').split(/\s+/).filter(Boolean);
    res.type('html').send(
      page(
        'Toestemming geven',
        `<p><strong>${esc(client?.clientId ?? '?')}</strong> vraagt toegang tot uw gegevens in Visma eAccounting (${esc(f.session.email)}).</p>
<ul>${scopes.map((s) => `<li>${esc(s)}</li>`).join('')}</ul>
<form method="post" action="/consent">
${hidden('ReturnUrl', f.returnUrl)}
<button type="submit" name="consent" value="allow">Toestaan</button>
<button type="submit" name="consent" value="deny">Weigeren</button>
</form>`,
      ),
    );
  });

  r.post('/consent', form, (req, res) => {
    const b = req.body as Record<string, string | undefined>;
    const f = inFlow(req, res, b.ReturnUrl);
    if (!f) return;
    if (b.consent !== 'allow') {
      const back = new URL(f.ret.searchParams.get('redirect_uri')!);
      back.searchParams.set('error', 'access_denied');
      const st = f.ret.searchParams.get('state');
      if (st) back.searchParams.set('state', st);
      delete f.session.flows[flowKey(Object.fromEntries(f.ret.searchParams))];
      return void res.redirect(302, back.toString());
    }
    f.flow.consented = true;
    res.redirect(302, f.returnUrl);
  });

  r.get('/account/selectcompany', (req, res) => {
    const f = inFlow(req, res, req.query.ReturnUrl);
    if (!f) return;
    const user = state.user(f.session.email)!;
    const options = user.companies
      .map((id) => state.company(id))
      .filter((c) => !!c)
      .map((c, i) => `<label><input type="radio" name="CompanyId" value="${esc(c.id)}"${i === 0 ? ' checked' : ''}> ${esc(c.name)}</label>`)
      .join('\n');
    res.type('html').send(
      page(
        'Kies een bedrijf',
        `<form method="post" action="/account/selectcompany">
${hidden('ReturnUrl', f.returnUrl)}
${options}
<button type="submit">Doorgaan</button>
</form>`,
      ),
    );
  });

  r.post('/account/selectcompany', form, (req, res) => {
    const b = req.body as Record<string, string | undefined>;
    const f = inFlow(req, res, b.ReturnUrl);
    if (!f) return;
    const user = state.user(f.session.email)!;
    if (!b.CompanyId || !user.companies.includes(b.CompanyId)) return void badRequest(res, 'Kies een van uw bedrijven.');
    f.flow.companyId = b.CompanyId;
    res.redirect(302, f.returnUrl);
  });

  r.post('/connect/token', form, async (req, res) => {
    res.setHeader('cache-control', 'no-store');
    const auth = req.header('authorization') ?? '';
    const [id, secret] = Buffer.from(auth.replace(/^Basic\s+/i, ''), 'base64')
      .toString()
      .split(':')
      .map((s) => decodeURIComponent(s));
    const client = state.client(id);
    if (!/^Basic\s/i.test(auth) || !client || client.clientSecret !== secret) return void res.status(401).json({ error: 'invalid_client' });
    const b = req.body as Record<string, string | undefined>;
    if (b.grant_type === 'authorization_code') {
      const out = state.exchangeCode(client.clientId, b.code, b.redirect_uri, b.code_verifier);
      if ('error' in out) return void res.status(400).json({ error: out.error, ...(out.description ? { error_description: out.description } : {}) });
      return void res.json(out.tokens);
    }
    if (b.grant_type === 'refresh_token') {
      if (state.refreshDelayMs) await new Promise((r) => setTimeout(r, state.refreshDelayMs));
      const out = state.refresh(client.clientId, b.refresh_token);
      if ('error' in out) return void res.status(400).json({ error: out.error });
      return void res.json(out.tokens);
    }
    res.status(400).json({ error: 'unsupported_grant_type' });
  });

  return r;
}

/** The token endpoint of an OAuth2 provider: form POST with HTTP Basic client authentication. */
import type { OAuth2SystemDef } from './systems';

export interface TokenResponse {
  access_token: string;
  refresh_token?: string;
  token_type?: string;
  expires_in?: number | string;
  scope?: string;
}

export type TokenResult =
  | { ok: true; tokens: TokenResponse }
  /** `error` is the provider's OAuth2 error code (invalid_grant …) or `http_<status>` / `network`. */
  | { ok: false; error: string; description?: string; status?: number };

export async function tokenRequest(def: OAuth2SystemDef, params: Record<string, string>, timeoutMs = 10_000): Promise<TokenResult> {
  const basic = Buffer.from(`${encodeURIComponent(def.clientId)}:${encodeURIComponent(def.clientSecret)}`).toString('base64');
  let res: Response;
  try {
    res = await fetch(def.tokenUrl, {
      method: 'POST',
      headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams(params).toString(),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    return { ok: false, error: 'network', description: err instanceof Error ? err.message : String(err) };
  }
  const text = await res.text();
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    /* not JSON */
  }
  if (res.ok && typeof body.access_token === 'string') return { ok: true, tokens: body as unknown as TokenResponse };
  const error = typeof body.error === 'string' ? body.error : `http_${res.status}`;
  return { ok: false, error, description: typeof body.error_description === 'string' ? body.error_description : undefined, status: res.status };
}

/** The authorize URL the user's browser is sent to. */
export function authorizeUrl(def: OAuth2SystemDef, p: { state: string; redirectUri: string; codeChallenge?: string }): string {
  const url = new URL(def.authorizeUrl);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', def.clientId);
  url.searchParams.set('redirect_uri', p.redirectUri);
  if (def.scopes.length) url.searchParams.set('scope', def.scopes.join(' '));
  url.searchParams.set('state', p.state);
  if (p.codeChallenge) {
    url.searchParams.set('code_challenge', p.codeChallenge);
    url.searchParams.set('code_challenge_method', 'S256');
  }
  for (const [k, v] of Object.entries(def.authorizeParams ?? {})) url.searchParams.set(k, v);
  return url.toString();
}

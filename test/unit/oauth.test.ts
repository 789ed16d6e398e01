/** The pure pieces of OAuth2: PKCE, state checks, the refresh buffer, the authorize URL, the page. */
import { authorizeUrl } from '../../src/oauth/client';
import { expiryFrom, needsRefresh, REFRESH_BUFFER_MS } from '../../src/oauth/expiry';
import { callbackPage } from '../../src/oauth/page';
import { codeChallengeS256, newCodeVerifier, newState, stateKey } from '../../src/oauth/pkce';
import { checkState } from '../../src/oauth/state';

test('PKCE S256 matches RFC 7636 appendix B', () => {
  expect(codeChallengeS256('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
});

test('verifiers and states are random, base64url, 43 characters; only a hash of the state is stored', () => {
  const v = newCodeVerifier();
  expect(v).toMatch(/^[A-Za-z0-9_-]{43}$/);
  expect(newCodeVerifier()).not.toBe(v);
  const s = newState();
  expect(s).toMatch(/^[A-Za-z0-9_-]{43}$/);
  expect(stateKey(s)).toMatch(/^[0-9a-f]{64}$/);
  expect(stateKey(s)).not.toContain(s);
});

test('a state is good until it expires; unknown and used ones are refused', () => {
  const now = new Date('2026-12-02T10:00:00Z');
  expect(checkState({ expiresAt: new Date('2026-12-02T10:09:59Z') }, now)).toEqual({ ok: true });
  expect(checkState({ expiresAt: new Date('2026-12-02T10:00:00Z') }, now)).toEqual({ ok: false, reason: 'expired' });
  expect(checkState(null, now)).toEqual({ ok: false, reason: 'unknown' });
  expect(checkState({ expiresAt: new Date('2026-12-02T11:00:00Z') }, now, true)).toEqual({ ok: false, reason: 'used' });
});

test('refresh ahead of expiry by the buffer (5 minutes)', () => {
  const now = new Date('2026-12-02T10:00:00Z');
  expect(REFRESH_BUFFER_MS).toBe(300_000);
  expect(needsRefresh(new Date('2026-12-02T10:06:00Z'), now)).toBe(false);
  expect(needsRefresh(new Date('2026-12-02T10:05:00Z'), now)).toBe(true);
  expect(needsRefresh(new Date('2026-12-02T10:04:59Z'), now)).toBe(true);
  expect(needsRefresh(new Date('2026-12-02T09:00:00Z'), now)).toBe(true);
  expect(needsRefresh(undefined, now)).toBe(false);
  expect(needsRefresh(new Date('2026-12-02T10:00:30Z'), now, 10_000)).toBe(false);
  expect(expiryFrom(now, 3600)?.toISOString()).toBe('2026-12-02T11:00:00.000Z');
  expect(expiryFrom(now, '60')?.toISOString()).toBe('2026-12-02T10:01:00.000Z');
  expect(expiryFrom(now, undefined)).toBeUndefined();
});

test('the authorize URL carries client, redirect, scopes, state and the S256 challenge', () => {
  const url = new URL(
    authorizeUrl(
      { system: 'x', label: 'X', authorizeUrl: 'https://id.example/connect/authorize', tokenUrl: 'https://id.example/connect/token', clientId: 'cid', clientSecret: 's', scopes: ['ea:api', 'offline_access'], pkce: true, authorizeParams: { prompt: 'select_account' } },
      { state: 'st', redirectUri: 'https://kw.example/oauth/callback', codeChallenge: 'ch' },
    ),
  );
  expect(Object.fromEntries(url.searchParams)).toEqual({
    response_type: 'code',
    client_id: 'cid',
    redirect_uri: 'https://kw.example/oauth/callback',
    scope: 'ea:api offline_access',
    state: 'st',
    code_challenge: 'ch',
    code_challenge_method: 'S256',
    prompt: 'select_account',
  });
});

test('the callback page is Dutch and escapes what it shows', () => {
  expect(callbackPage({ ok: true, connectionName: 'Visma <b>', system: 'eaccounting' })).toContain('Autorisatie gelukt, u kunt dit venster sluiten');
  expect(callbackPage({ ok: true, connectionName: 'Visma <b>', system: 'eaccounting' })).toContain('Visma &lt;b&gt;');
  const bad = callbackPage({ ok: false, oorzaak: 'Link "<script>" verlopen', oplossing: 'Opnieuw & beter' });
  expect(bad).toContain('Autorisatie niet gelukt');
  expect(bad).not.toContain('<script>');
  expect(bad).toContain('Opnieuw &amp; beter');
});

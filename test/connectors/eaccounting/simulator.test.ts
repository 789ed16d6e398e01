/**
 * The Visma eAccounting simulator over HTTP with the connector and the platform's token endpoint
 * call: the identity server's rules (login, consent, company picker or default company, HTTP Basic,
 * rotation, password change) and the API's (envelopes, paging, error envelope, quota, vouchers).
 */
import { createHash, randomBytes } from 'node:crypto';
import { tokenRequest } from '../../../src/oauth/client';
import { createEaccountingClient } from '../../../src/systems/eaccounting/client';
import { isKoppelError, type KoppelError } from '../../../src/domain/errors';
import { eaccountingOAuth2 } from '../../../src/systems/eaccounting/system';
import { DEMO_COMPANIES, DEMO_EMAIL, DEMO_PASSWORD, startEaccountingSimulator, type EaccountingSimulator } from '../../../src/systems/eaccounting/simulator';
import type { OAuth2SystemDef } from '../../../src/oauth/systems';
import { Browser } from '../../../src/dev/browser';

let sim: EaccountingSimulator;
let def: OAuth2SystemDef;
const REDIRECT = 'http://127.0.0.1:9/oauth/callback';

beforeAll(async () => {
  sim = await startEaccountingSimulator({ port: 0 });
  def = eaccountingOAuth2({ EACCOUNTING_BASE_URL: sim.url })!;
});
afterAll(() => sim.close());

const control = async (method: string, path: string, body?: unknown) => {
  const res = await fetch(`${sim.url}/_control${path}`, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  return res.json();
};

/** Login + consent (+ picker) in a browser. */
async function code(opts: { company?: string; prompt?: string } = {}) {
  const verifier = randomBytes(32).toString('base64url');
  const url = new URL(def.authorizeUrl);
  const q: Record<string, string> = { response_type: 'code', client_id: def.clientId, redirect_uri: REDIRECT, scope: def.scopes.join(' '), state: 'st-1', code_challenge: createHash('sha256').update(verifier).digest('base64url'), code_challenge_method: 'S256', ...(opts.prompt ? { prompt: opts.prompt } : {}) };
  for (const [k, v] of Object.entries(q)) url.searchParams.set(k, v);
  const b = new Browser();
  const login = await b.go(url.toString());
  const consent = await b.submit(login, { Email: DEMO_EMAIL, Password: DEMO_PASSWORD });
  let page = await b.submit(consent, {}, { name: 'consent', value: 'allow' });
  const pickerShown = page.url.includes('/account/selectcompany');
  if (pickerShown) page = await b.submit(page, { CompanyId: opts.company ?? DEMO_COMPANIES.ebBedrijf });
  return { pickerShown, verifier, page };
}

/** The code from the redirect to the callback, which is caught here (nothing listens on that port). */
async function codeFromRedirect(opts: { company?: string; prompt?: string } = {}) {
  const realFetch = global.fetch;
  let location: string | undefined;
  global.fetch = (async (input: string | URL | Request, init?: RequestInit) => {
    const u = new URL(input instanceof Request ? input.url : input.toString());
    if (u.origin === 'http://127.0.0.1:9') {
      location = u.toString();
      return new Response('callback', { status: 200 });
    }
    return realFetch(input, init);
  }) as typeof fetch;
  try {
    const r = await code(opts);
    const at = new URL(location!);
    return { ...r, code: at.searchParams.get('code')!, state: at.searchParams.get('state') };
  } finally {
    global.fetch = realFetch;
  }
}

async function tokens(opts: { company?: string; prompt?: string } = {}) {
  const c = await codeFromRedirect(opts);
  const res = await tokenRequest(def, { grant_type: 'authorization_code', code: c.code, redirect_uri: REDIRECT, code_verifier: c.verifier });
  if (!res.ok) throw new Error(res.error);
  return { ...c, tokens: res.tokens };
}

const client = (token: () => string, refused: (t: string) => Promise<void> = async () => undefined) => createEaccountingClient({ baseUrl: sim.url, token: { get: async () => token(), refused } });

async function failure(p: Promise<unknown>): Promise<KoppelError> {
  try {
    await p;
  } catch (err) {
    if (isKoppelError(err)) return err;
    throw err;
  }
  throw new Error('expected a failure');
}

test('authorisation code flow: login, consent, company picker (prompt=select_account), code + state, HTTP Basic token exchange with PKCE', async () => {
  const t = await tokens({ prompt: 'select_account' });
  expect(t.pickerShown).toBe(true);
  expect(t.state).toBe('st-1');
  expect(t.tokens).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
  expect(t.tokens.refresh_token).toBeTruthy();
  const settings = await client(() => t.tokens.access_token).companySettings();
  expect(settings.Name).toBe('EB Bedrijf B.V.');
  // Wrong client secret: invalid_client.
  expect(await tokenRequest({ ...def, clientSecret: 'wrong' }, { grant_type: 'refresh_token', refresh_token: t.tokens.refresh_token! })).toMatchObject({ ok: false, error: 'invalid_client', status: 401 });
  // A code is single use.
  expect(await tokenRequest(def, { grant_type: 'authorization_code', code: t.code, redirect_uri: REDIRECT, code_verifier: t.verifier })).toMatchObject({ ok: false, error: 'invalid_grant' });
});

test('a default company skips the picker; the company decides what the token reaches', async () => {
  await control('PUT', `/users/${encodeURIComponent(DEMO_EMAIL)}/default-company`, { companyId: DEMO_COMPANIES.zonderApi });
  try {
    const t = await tokens();
    expect(t.pickerShown).toBe(false);
    const e = await failure(client(() => t.tokens.access_token).fiscalYears());
    expect(e).toMatchObject({ type: 'PermissionDenied', code: '4002' });
    expect(e.oorzaak).toContain('De API module is nog niet geactiveerd');
  } finally {
    await control('PUT', `/users/${encodeURIComponent(DEMO_EMAIL)}/default-company`, { companyId: null });
  }
});

test('refresh rotation: each new refresh token cancels the previous one; a password change revokes everything', async () => {
  const t = await tokens({ prompt: 'select_account' });
  const r1 = await tokenRequest(def, { grant_type: 'refresh_token', refresh_token: t.tokens.refresh_token! });
  expect(r1.ok).toBe(true);
  const again = await tokenRequest(def, { grant_type: 'refresh_token', refresh_token: t.tokens.refresh_token! });
  expect(again).toMatchObject({ ok: false, error: 'invalid_grant', status: 400 });
  const newer = (r1 as { tokens: { refresh_token: string; access_token: string } }).tokens;
  await control('POST', `/users/${encodeURIComponent(DEMO_EMAIL)}/password`, { password: 'anders' });
  try {
    expect(await tokenRequest(def, { grant_type: 'refresh_token', refresh_token: newer.refresh_token })).toMatchObject({ ok: false, error: 'invalid_grant' });
    const e = await failure(client(() => newer.access_token).fiscalYears());
    expect(e).toMatchObject({ type: 'ReauthRequired', code: '4005' });
  } finally {
    await control('POST', `/users/${encodeURIComponent(DEMO_EMAIL)}/password`, { password: DEMO_PASSWORD });
  }
});

test('API: 401/4005 envelope; one refresh and retry on a refused token; Meta/Data paging', async () => {
  const raw = await fetch(`${sim.url}/v2/fiscalyears`, { headers: { authorization: 'Bearer nope' } });
  expect(raw.status).toBe(401);
  const body = (await raw.json()) as Record<string, unknown>;
  expect(body).toMatchObject({ ErrorCode: 4005, DeveloperErrorMessage: 'AuthorizationException - Authorization has been denied for this request.', Errors: [] });
  expect(body.ErrorId).toEqual(expect.any(String));

  const t = await tokens({ prompt: 'select_account' });
  let current = 'expired-token';
  const refused: string[] = [];
  const c = client(() => current, async (tok) => {
    refused.push(tok);
    current = t.tokens.access_token;
  });
  expect((await c.fiscalYears()).map((f) => f.StartDate)).toEqual(['2026-01-01']);
  expect(refused).toEqual(['expired-token']);

  const page = await fetch(`${sim.url}/v2/accounts/${(await c.fiscalYears())[0].Id}?$page=2&$pagesize=4`, { headers: { authorization: `Bearer ${current}` } });
  const json = (await page.json()) as { Meta: Record<string, number>; Data: unknown[] };
  expect(json.Meta).toMatchObject({ CurrentPage: 2, PageSize: 4, TotalNumberOfPages: 3, TotalNumberOfResults: 9 });
  expect(json.Data).toHaveLength(4);
});

test('vouchers: 201 when balanced; 2000 unbalanced; no fiscal year → "Resource not found: fiscalYearId"; 3002; locked year 4038; found again by date', async () => {
  const t = await tokens({ prompt: 'select_account', company: DEMO_COMPANIES.ebBedrijf });
  const c = client(() => t.tokens.access_token);
  const rows = [
    { AccountNumber: 4000, DebitAmount: 100.1, CreditAmount: 0, TransactionText: 'Lonen' },
    { AccountNumber: 1660, DebitAmount: 0, CreditAmount: 100.1, TransactionText: 'Netto lonen' },
  ];
  const v = await c.createVoucher({ VoucherDate: '2026-03-31', VoucherText: 'TEST-1 proef', Rows: rows });
  expect(v.NumberAndNumberSeries).toMatch(/^A\d+$/);
  const fy = (await c.fiscalYears())[0];
  expect((await c.vouchers(fy.Id, { date: '2026-03-31' })).map((x) => x.Id)).toContain(v.Id);
  expect(await c.vouchers(fy.Id, { date: '2026-04-30' })).toEqual([]);

  expect(await failure(c.createVoucher({ VoucherDate: '2026-03-31', VoucherText: 'x', Rows: [rows[0], { ...rows[1], CreditAmount: 100 }] }))).toMatchObject({ type: 'InvalidData', code: '2000' });
  const noYear = await failure(c.createVoucher({ VoucherDate: '2027-01-31', VoucherText: 'x', Rows: rows }));
  expect(noYear).toMatchObject({ type: 'InvalidData', code: '3000' });
  expect(noYear.message).toContain('Resource not found: fiscalYearId');
  expect(await failure(c.createVoucher({ VoucherDate: '2026-03-31', VoucherText: 'x', Rows: [{ ...rows[0], AccountNumber: 4999 }, rows[1]] }))).toMatchObject({ type: 'MappingIncomplete', details: { missingCodes: ['4999'] } });
  await control('PUT', `/companies/${DEMO_COMPANIES.ebBedrijf}/fiscalyears/${fy.Id}`, { IsLockedForAccounting: true });
  try {
    expect(await failure(c.createVoucher({ VoucherDate: '2026-03-31', VoucherText: 'x', Rows: rows }))).toMatchObject({ type: 'PeriodClosed', code: '4038' });
  } finally {
    await control('PUT', `/companies/${DEMO_COMPANIES.ebBedrijf}/fiscalyears/${fy.Id}`, { IsLockedForAccounting: false });
  }
  await control('PUT', `/companies/${DEMO_COMPANIES.ebBedrijf}`, { accountingLockedTo: '2026-03-31' });
  try {
    expect(await failure(c.createVoucher({ VoucherDate: '2026-03-31', VoucherText: 'x', Rows: rows }))).toMatchObject({ type: 'PeriodClosed', code: '4026' });
  } finally {
    await control('PUT', `/companies/${DEMO_COMPANIES.ebBedrijf}`, { accountingLockedTo: null });
  }
});

test('quota: 429/4010 "Try again in N seconds" per client and endpoint, mapped to RateLimited with that wait', async () => {
  const t = await tokens({ prompt: 'select_account' });
  const c = client(() => t.tokens.access_token);
  await control('PUT', '/settings', { quotaPerMinute: 3 });
  try {
    // Another endpoint has its own count.
    for (let i = 0; i < 3; i++) await c.companySettings();
    const e = await failure(c.companySettings());
    expect(e).toMatchObject({ type: 'RateLimited', code: '4010' });
    expect(e.retryAfterMs).toBeGreaterThan(0);
    expect(e.retryAfterMs).toBeLessThanOrEqual(60_000);
    expect(e.message).toMatch(/Try again in \d+ seconds/);
    await c.fiscalYears();
  } finally {
    await control('PUT', '/settings', { quotaPerMinute: 600 });
  }
});

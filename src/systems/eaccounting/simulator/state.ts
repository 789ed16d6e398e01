/**
 * State of the Visma eAccounting simulator: the identity server's clients, users, codes and tokens,
 * and per company the fiscal years, chart of accounts and vouchers. Pure data + rules; the HTTP
 * layers (identity-server.ts, api.ts, control.ts) call it.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { demoData, DEMO_CHART } from './demo';
import { CODE_TTL_MS, LOOPBACK_REDIRECT_ANY_PORT, NEW_YEAR_COPIES_CHART, QUOTA_PER_MINUTE, VOUCHER_SERIES } from './inferred';
import { ensureSales, SalesRegister } from './sales';
import type { SimAccessToken, SimCompany, SimData, SimGrant, SimRefreshToken, SimSession, SimUser, SimVoucher } from './types';

export class SimError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    readonly errors: Array<{ Field: string; Message: string }> = [],
  ) {
    super(message);
  }
}

const token = (prefix: string) => `${prefix}_${randomBytes(24).toString('base64url')}`;

export class EaccountingState {
  data: SimData;
  /** Access-token lifetime (seconds): 1 hour per contract §1.1. */
  accessTokenSeconds = 3600;
  quotaPerMinute = QUOTA_PER_MINUTE;
  /** Delay (ms) before answering a refresh: widens the window for concurrent refreshes in tests. */
  refreshDelayMs = 0;
  /** Per client + endpoint: the current minute window and its count. */
  private windows = new Map<string, { start: number; count: number }>();
  /** Calls per endpoint and the busiest minute seen (benchmarks). */
  stats = { calls: {} as Record<string, number>, peakPerMinute: {} as Record<string, number>, refreshGrants: 0, refreshAttempts: 0, codeGrants: 0, voucherPosts: 0, quotaRefusals: 0 };
  now: () => number = () => Date.now();

  constructor(opts: { demo?: boolean } = {}) {
    this.data = opts.demo === false ? emptyData() : demoData();
  }

  snapshot(): SimData {
    return this.data;
  }

  load(saved: SimData): void {
    this.data = { ...emptyData(), ...saved };
    for (const c of this.data.companies) ensureSales(c);
  }

  /** The sales rules of a company (articles, customers, orders, terms, units), on this state's clock. */
  sales(c: SimCompany): SalesRegister {
    return new SalesRegister(c, () => this.now());
  }

  reset(demo = true): void {
    this.data = demo ? demoData() : emptyData();
    this.windows.clear();
    this.resetStats();
  }

  resetStats(): void {
    this.stats = { calls: {}, peakPerMinute: {}, refreshGrants: 0, refreshAttempts: 0, codeGrants: 0, voucherPosts: 0, quotaRefusals: 0 };
  }

  // --- identity ------------------------------------------------------------------------------

  client(clientId: string | undefined) {
    return this.data.clients.find((c) => c.clientId === clientId);
  }

  redirectAllowed(clientId: string, redirectUri: string): boolean {
    const c = this.client(clientId);
    if (!c) return false;
    let u: URL;
    try {
      u = new URL(redirectUri);
    } catch {
      return false;
    }
    return c.redirectUris.some((r) => {
      if (r === redirectUri) return true;
      const reg = new URL(r);
      const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(reg.hostname);
      return LOOPBACK_REDIRECT_ANY_PORT && loopback && !reg.port && reg.hostname === u.hostname && reg.pathname === u.pathname && reg.protocol === u.protocol;
    });
  }

  user(email: string | undefined): SimUser | undefined {
    return this.data.users.find((u) => u.email.toLowerCase() === (email ?? '').trim().toLowerCase());
  }

  company(id: string | undefined): SimCompany | undefined {
    return this.data.companies.find((c) => c.id === id);
  }

  login(email: string, password: string): SimSession | undefined {
    const u = this.user(email);
    if (!u || u.password !== password) return undefined;
    const s: SimSession = { id: randomBytes(18).toString('base64url'), email: u.email, flows: {} };
    this.data.sessions.push(s);
    return s;
  }

  session(id: string | undefined): SimSession | undefined {
    return id ? this.data.sessions.find((s) => s.id === id) : undefined;
  }

  issueCode(p: { clientId: string; redirectUri: string; email: string; companyId: string; scope: string; challenge?: string }): string {
    const code = token('code');
    this.data.codes = this.data.codes.filter((c) => !c.used && c.expiresAt > this.now());
    this.data.codes.push({ code, ...p, used: false, expiresAt: this.now() + CODE_TTL_MS });
    return code;
  }

  private issueTokens(g: SimGrant) {
    const at: SimAccessToken = { ...g, token: token('at'), expiresAt: this.now() + this.accessTokenSeconds * 1000, revoked: false };
    const rt: SimRefreshToken = { ...g, token: token('rt'), status: 'active' };
    this.data.accessTokens.push(at);
    this.data.refreshTokens.push(rt);
    return { access_token: at.token, token_type: 'Bearer', expires_in: this.accessTokenSeconds, refresh_token: rt.token, scope: g.scope };
  }

  /** The token endpoint's grants; errors are OAuth2 error codes (400 invalid_grant …). */
  exchangeCode(clientId: string, code: string | undefined, redirectUri: string | undefined, verifier: string | undefined) {
    const rec = this.data.codes.find((c) => c.code === code);
    if (!rec || rec.used || rec.expiresAt < this.now() || rec.clientId !== clientId || rec.redirectUri !== redirectUri) return { error: 'invalid_grant' as const };
    rec.used = true;
    if (rec.challenge) {
      if (!verifier || createHash('sha256').update(verifier).digest('base64url') !== rec.challenge) return { error: 'invalid_grant' as const, description: 'PKCE verification failed' };
    }
    const u = this.user(rec.email);
    if (!u) return { error: 'invalid_grant' as const };
    this.stats.codeGrants++;
    return { tokens: this.issueTokens({ email: u.email, companyId: rec.companyId, clientId, scope: rec.scope, passwordVersion: u.passwordVersion }) };
  }

  refresh(clientId: string, refreshToken: string | undefined) {
    this.stats.refreshAttempts++;
    const rec = this.data.refreshTokens.find((r) => r.token === refreshToken);
    const u = rec && this.user(rec.email);
    if (!rec || rec.status !== 'active' || rec.clientId !== clientId || !u || u.passwordVersion !== rec.passwordVersion) return { error: 'invalid_grant' as const };
    rec.status = 'rotated'; // contract §1.1: each new refresh token cancels the previous one
    this.stats.refreshGrants++;
    return { tokens: this.issueTokens({ email: rec.email, companyId: rec.companyId, clientId, scope: rec.scope, passwordVersion: rec.passwordVersion }) };
  }

  /** The grant behind a Bearer token, or undefined (→ 401/4005). */
  bearer(auth: string | undefined): SimAccessToken | undefined {
    const t = (auth ?? '').replace(/^Bearer\s+/i, '');
    const rec = this.data.accessTokens.find((a) => a.token === t);
    if (!rec || rec.revoked || rec.expiresAt <= this.now()) return undefined;
    const u = this.user(rec.email);
    if (!u || u.passwordVersion !== rec.passwordVersion) return undefined;
    return rec;
  }

  expireAccessTokens(email?: string): number {
    let n = 0;
    for (const a of this.data.accessTokens) {
      if (email && a.email !== email) continue;
      a.expiresAt = 0;
      n++;
    }
    return n;
  }

  revoke(email?: string): number {
    let n = 0;
    for (const a of this.data.accessTokens) if (!email || a.email === email) a.revoked = true;
    for (const r of this.data.refreshTokens) {
      if ((email && r.email !== email) || r.status !== 'active') continue;
      r.status = 'revoked';
      n++;
    }
    return n;
  }

  /** A password change invalidates every token of the user (contract §1.1). */
  changePassword(email: string, password: string): void {
    const u = this.user(email);
    if (!u) throw new SimError(404, 3000, `unknown user ${email}`);
    u.password = password;
    u.passwordVersion++;
    this.data.sessions = this.data.sessions.filter((s) => s.email !== u.email);
  }

  setDefaultCompany(email: string, companyId: string | null): void {
    const u = this.user(email);
    if (!u) throw new SimError(404, 3000, `unknown user ${email}`);
    if (companyId && !u.companies.includes(companyId)) throw new SimError(400, 2000, `user ${email} has no company ${companyId}`);
    u.defaultCompanyId = companyId;
  }

  /** A new limit starts fresh windows. */
  setQuota(perMinute: number): void {
    this.quotaPerMinute = perMinute;
    this.windows.clear();
  }

  // --- quota -------------------------------------------------------------------------------

  /** Counts a call; a refusal gives the seconds to wait (fixed one-minute window per client + endpoint). */
  count(clientId: string, endpoint: string): number | undefined {
    const now = this.now();
    const key = `${clientId} ${endpoint}`;
    let w = this.windows.get(key);
    if (!w || now - w.start >= 60_000) {
      w = { start: now, count: 0 };
      this.windows.set(key, w);
    }
    this.stats.calls[endpoint] = (this.stats.calls[endpoint] ?? 0) + 1;
    if (w.count >= this.quotaPerMinute) {
      this.stats.quotaRefusals++;
      return Math.max(1, Math.ceil((w.start + 60_000 - now) / 1000));
    }
    w.count++;
    this.stats.peakPerMinute[endpoint] = Math.max(this.stats.peakPerMinute[endpoint] ?? 0, w.count);
    return undefined;
  }

  // --- API rules -------------------------------------------------------------------------------

  fiscalYearOf(c: SimCompany, date: string) {
    return c.fiscalYears.find((f) => f.StartDate <= date && date <= f.EndDate);
  }

  createFiscalYear(c: SimCompany, body: { StartDate: string; EndDate: string; BookkeepingMethod?: number; IsLockedForAccounting?: boolean }) {
    const end = new Date(`${body.EndDate}T00:00:00Z`);
    const next = new Date(end.getTime() + 86_400_000);
    if (next.getUTCDate() !== 1) throw new SimError(400, 4022, 'The end date of a fiscal year must be the last day of a month.');
    if (body.StartDate > body.EndDate || c.fiscalYears.some((f) => f.StartDate <= body.EndDate && body.StartDate <= f.EndDate)) {
      throw new SimError(400, 4020, 'FiscalYearOverlapException - The fiscal year overlaps an existing fiscal year.');
    }
    const fy = { Id: randomUUID(), StartDate: body.StartDate, EndDate: body.EndDate, IsLockedForAccounting: body.IsLockedForAccounting ?? false, BookkeepingMethod: body.BookkeepingMethod ?? 0 };
    const earlier = [...c.fiscalYears].sort((a, b) => b.StartDate.localeCompare(a.StartDate))[0];
    const chart = NEW_YEAR_COPIES_CHART && earlier ? c.accounts.filter((a) => a.FiscalYearId === earlier.Id) : DEMO_CHART;
    c.fiscalYears.push(fy);
    c.accounts.push(...chart.map((a) => ({ ...a, FiscalYearId: fy.Id })));
    return fy;
  }

  addVoucher(c: SimCompany, fiscalYearId: string, v: Omit<SimVoucher, 'Id' | 'NumberAndNumberSeries' | 'NumberSeries' | 'FiscalYearId' | 'CreatedUtc' | 'ModifiedUtc'>): SimVoucher {
    const n = (c.voucherCounters[fiscalYearId] ?? 0) + 1;
    c.voucherCounters[fiscalYearId] = n;
    const at = new Date(this.now()).toISOString();
    const voucher: SimVoucher = { Id: randomUUID(), ...v, NumberAndNumberSeries: `${VOUCHER_SERIES}${n}`, NumberSeries: VOUCHER_SERIES, FiscalYearId: fiscalYearId, CreatedUtc: at, ModifiedUtc: at };
    c.vouchers.push(voucher);
    this.stats.voucherPosts++;
    return voucher;
  }
}

export function emptyData(): SimData {
  return { clients: [], users: [], companies: [], codes: [], accessTokens: [], refreshTokens: [], sessions: [] };
}

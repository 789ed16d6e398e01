/**
 * Whole-simulator state: administrations, users, sessions (idle expiry) and per-operation call
 * counters. SOAP handlers and the control API both work through this class.
 */
import { createHash, randomUUID } from 'node:crypto';
import { Administratie } from './administratie';
import { SESSION_IDLE_MS } from './inferred';
import { ebError } from './sim-error';
import type {
  AdministratieInfo,
  ArtikelRecord,
  FactuurRecord,
  FactuursjabloonRecord,
  GrootboekRecord,
  KostenplaatsRecord,
  MutatieRecord,
  OpenPostRecord,
  RelatieRecord,
  UserRecord,
} from './types';

/** Idle session lifetime: a guess (inferred.ts). */
export const DEFAULT_SESSION_IDLE_MS = SESSION_IDLE_MS;
/** Contract A5: GetMutaties is capped at 5,000 calls per month. */
export const DEFAULT_GET_MUTATIES_MONTHLY_LIMIT = 5000;

export interface StateOptions {
  sessionIdleMs?: number;
  getMutatiesMonthlyLimit?: number;
  /** Clock, replaceable so tests never wait for real time. */
  now?: () => Date;
}

interface Session {
  id: string;
  username: string;
  guid: string;
  lastUsedMs: number;
}

export interface UserInput {
  username: string;
  securityCode1: string;
  securityCode2: string;
  /** Administrations the user may open; omitted → a new one (seeded by `seedNew`) named after the user. */
  administratieGuids?: string[];
}

/** One administration as saved: its records and its number counters. */
export interface AdministratieSnapshot {
  info: AdministratieInfo;
  grootboekrekeningen: GrootboekRecord[];
  relaties: RelatieRecord[];
  artikelen: ArtikelRecord[];
  kostenplaatsen: KostenplaatsRecord[];
  factuursjablonen: FactuursjabloonRecord[];
  mutaties: MutatieRecord[];
  facturen: FactuurRecord[];
  openPosten: OpenPostRecord[];
  /** Last numbers handed out (IDs, MutatieNr, invoice sequence), so numbering continues after a load. */
  counters: { grootboek: number; relatie: number; artikel: number; mutatie: number; factuur: number };
}

/**
 * The persistent part of the simulator, JSON-safe (Maps become arrays). Sessions, call counters,
 * the GetMutaties monthly budget and settings (idle timeout, limits) are run-time only.
 */
export interface EboekhoudenSnapshot {
  administraties: AdministratieSnapshot[];
  users: UserRecord[];
}

const RECORD_LISTS = [
  'grootboekrekeningen',
  'relaties',
  'artikelen',
  'kostenplaatsen',
  'factuursjablonen',
  'mutaties',
  'facturen',
  'openPosten',
] as const;

/** Deterministic GUID from a text, so a user's own administration keeps its id across resets. */
export function guidFrom(text: string): string {
  const h = createHash('sha1').update(text).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export class EboekhoudenState {
  readonly administraties = new Map<string, Administratie>();
  readonly users = new Map<string, UserRecord>();
  private readonly sessions = new Map<string, Session>();
  sessionIdleMs: number;
  getMutatiesMonthlyLimit: number;
  readonly now: () => Date;
  /** Per-operation SOAP call counters (every call, successful or not). */
  calls: Record<string, number> = {};
  sessionStats = { opened: 0, closed: 0, expired: 0 };
  private readonly monthlyCalls = new Map<string, number>();
  /** Fills a freshly created administration (demo master data, or nothing). */
  seedNew: (adm: Administratie) => void = () => undefined;

  constructor(opts: StateOptions = {}) {
    this.sessionIdleMs = opts.sessionIdleMs ?? DEFAULT_SESSION_IDLE_MS;
    this.getMutatiesMonthlyLimit = opts.getMutatiesMonthlyLimit ?? DEFAULT_GET_MUTATIES_MONTHLY_LIMIT;
    this.now = opts.now ?? (() => new Date());
  }

  today(): string {
    return this.now().toISOString().slice(0, 10);
  }

  /** Empties everything except settings (idle timeout, limits). */
  clear(): void {
    this.administraties.clear();
    this.users.clear();
    this.sessions.clear();
    this.monthlyCalls.clear();
    this.calls = {};
    this.sessionStats = { opened: 0, closed: 0, expired: 0 };
  }

  snapshot(): EboekhoudenSnapshot {
    const administraties = [...this.administraties.values()].map((adm): AdministratieSnapshot => {
      const lists = Object.fromEntries(RECORD_LISTS.map((k) => [k, adm[k]])) as Pick<AdministratieSnapshot, (typeof RECORD_LISTS)[number]>;
      return { info: adm.info, ...lists, counters: adm['ids'] };
    });
    return structuredClone({ administraties, users: [...this.users.values()] });
  }

  /**
   * Replaces administrations and users with a `snapshot()`. Sessions, counters and the monthly
   * budget start afresh; settings and `seedNew` stay as they are.
   */
  load(snapshot: EboekhoudenSnapshot): void {
    const data = structuredClone(snapshot);
    if (!Array.isArray(data?.administraties)) throw new Error('"administraties" is not a list');
    if (!Array.isArray(data.users)) throw new Error('"users" is not a list');
    this.clear();
    for (const a of data.administraties) {
      if (typeof a?.info?.Guid !== 'string') throw new Error('an administratie without info.Guid');
      const adm = this.addAdministratie(a.info);
      for (const k of RECORD_LISTS) {
        const records: unknown = a[k];
        if (!Array.isArray(records)) throw new Error(`administratie ${a.info.Guid}: "${k}" is not a list`);
        // One push per record: a spread of a long list could overflow the call stack.
        for (const r of records) (adm[k] as unknown[]).push(r);
      }
      adm['ids'] = {
        grootboek: Number(a.counters?.grootboek ?? 0),
        relatie: Number(a.counters?.relatie ?? 0),
        artikel: Number(a.counters?.artikel ?? 0),
        mutatie: Number(a.counters?.mutatie ?? 0),
        factuur: Number(a.counters?.factuur ?? 0),
      };
    }
    for (const u of data.users) {
      if (typeof u?.Username !== 'string' || !Array.isArray(u.Administraties)) throw new Error('a user without Username or Administraties');
      for (const g of u.Administraties) if (!this.administraties.has(g)) throw new Error(`user ${u.Username}: administratie ${g} does not exist`);
      this.users.set(u.Username, u);
    }
  }

  addAdministratie(info: AdministratieInfo): Administratie {
    const adm = new Administratie(info);
    this.administraties.set(info.Guid, adm);
    return adm;
  }

  /** The administration the control API uses when none is named: the first one. */
  administratie(guid?: string): Administratie {
    const adm = guid ? this.administraties.get(guid) : this.administraties.values().next().value;
    if (!adm) throw new Error(guid ? `administratie ${guid} bestaat niet` : 'geen administraties');
    return adm;
  }

  administratieOfUser(username: string): Administratie {
    const user = this.users.get(username);
    if (!user) throw new Error(`gebruiker ${username} bestaat niet`);
    return this.administratie(user.Administraties[0]);
  }

  upsertUser(input: UserInput): UserRecord {
    let guids = input.administratieGuids?.filter(Boolean) ?? [];
    for (const g of guids) if (!this.administraties.has(g)) throw new Error(`administratie ${g} bestaat niet`);
    if (guids.length === 0) {
      const guid = guidFrom(`administratie:${input.username}`);
      if (!this.administraties.has(guid)) {
        this.seedNew(this.addAdministratie({ Guid: guid, Bedrijf: `Administratie ${input.username}`, Plaats: '', StartBoekjaar: String(this.now().getUTCFullYear()) }));
      }
      guids = [guid];
    }
    const user: UserRecord = { Username: input.username, SecurityCode1: input.securityCode1, SecurityCode2: input.securityCode2, Administraties: guids };
    this.users.set(input.username, user);
    // New codes invalidate the user's running sessions, as a code reset in e-Boekhouden would.
    for (const [id, s] of this.sessions) if (s.username === input.username) this.sessions.delete(id);
    return user;
  }

  count(op: string): void {
    this.calls[op] = (this.calls[op] ?? 0) + 1;
  }

  // ---------------------------------------------------------------- sessions

  openSession(username: string, code1: string, code2: string, guid?: string): string {
    const user = this.users.get(username ?? '');
    if (!user || user.SecurityCode1 !== code1 || user.SecurityCode2 !== code2) {
      throw ebError('loginFailed', 'Inloggen mislukt: gebruikersnaam, beveiligingscode 1 of beveiligingscode 2 is onjuist.');
    }
    const target = guid?.trim() || user.Administraties[0];
    if (!user.Administraties.includes(target)) throw ebError('administratieUnknown', `Administratie ${target} is niet gekoppeld aan deze gebruiker.`);
    const id = randomUUID().replace(/-/g, '').toUpperCase();
    this.sessions.set(id, { id, username, guid: target, lastUsedMs: this.now().getTime() });
    this.sessionStats.opened++;
    return id;
  }

  /** Validates the session and SecurityCode2, refreshes its idle timer and returns its administration. */
  useSession(sessionId: string | undefined, code2: string | undefined): Administratie {
    const s = this.sessions.get(sessionId ?? '');
    const nowMs = this.now().getTime();
    if (s && nowMs - s.lastUsedMs > this.sessionIdleMs) {
      this.sessions.delete(s.id);
      this.sessionStats.expired++;
    }
    if (!s || !this.sessions.has(s.id)) throw ebError('sessionExpired', 'Sessie is verlopen of ongeldig. Open een nieuwe sessie.');
    const user = this.users.get(s.username);
    if (!user || user.SecurityCode2 !== code2) throw ebError('securityCode2Mismatch', 'Beveiligingscode 2 is onjuist.');
    s.lastUsedMs = nowMs;
    return this.administratie(s.guid);
  }

  /** The user a (valid) session belongs to. */
  userOfSession(sessionId: string | undefined): UserRecord | undefined {
    const s = this.sessions.get(sessionId ?? '');
    return s && this.users.get(s.username);
  }

  closeSession(sessionId: string | undefined): void {
    if (this.sessions.delete(sessionId ?? '')) this.sessionStats.closed++;
  }

  expireAllSessions(): number {
    const n = this.sessions.size;
    this.sessionStats.expired += n;
    this.sessions.clear();
    return n;
  }

  get openSessionCount(): number {
    return this.sessions.size;
  }

  /** Counts a GetMutaties call against the administration's monthly budget. */
  countMonthlyGetMutaties(adm: Administratie): void {
    const key = `${adm.info.Guid}:${this.today().slice(0, 7)}`;
    const n = (this.monthlyCalls.get(key) ?? 0) + 1;
    if (n > this.getMutatiesMonthlyLimit) {
      throw ebError('callLimitReached', `Het maximum van ${this.getMutatiesMonthlyLimit} aanroepen van GetMutaties per maand is bereikt.`);
    }
    this.monthlyCalls.set(key, n);
  }
}

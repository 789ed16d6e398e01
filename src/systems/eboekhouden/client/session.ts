/**
 * One open e-Boekhouden session and the typed operations on it. Every call sends SessionID +
 * SecurityCode2; an E0023 (session expired) reopens the session once and retries that call.
 */
import type { z } from 'zod';
import { KoppelError } from '../../../domain/errors';
import { classify, ebInBandError, invalidInputError, unparsableError, type EbErrorContext } from './errors';
import * as S from './schemas';
import type { SoapTransport } from './transport';
import type {
  Administratie,
  Artikel,
  ArtikelFilter,
  EboekhoudenCredentials,
  Factuur,
  FactuurFilter,
  FactuurInput,
  Grootboekrekening,
  GrootboekrekeningFilter,
  Mutatie,
  MutatieFilter,
  MutatieInput,
  OpenPost,
  OpenPostSoort,
  Relatie,
  RelatieFilter,
  RelatieInput,
  RelatieUpdate,
} from './types';
import * as W from './wire';

type Ctx = Omit<EbErrorContext, 'op' | 'secrets'>;

const definedOnly = <T extends object>(o: T): Partial<T> => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;

export interface SessionConfig {
  transport: SoapTransport;
  credentials: EboekhoudenCredentials;
  source: string;
  administratieGuid?: string;
  today: () => string;
}

export class EboekhoudenSession {
  private sessionId?: string;
  private reopening?: Promise<void>;
  private readonly secrets: string[];

  constructor(private readonly cfg: SessionConfig) {
    this.secrets = [cfg.credentials.securityCode1, cfg.credentials.securityCode2];
  }

  /** Opens (or reopens) the session. */
  async open(): Promise<void> {
    const { username, securityCode1, securityCode2 } = this.cfg.credentials;
    const sub = this.cfg.administratieGuid;
    const op = sub ? 'OpenSessionSub' : 'OpenSession';
    const args = { Username: username, SecurityCode1: securityCode1, SecurityCode2: securityCode2, Source: this.cfg.source, ...(sub && { AdministratieGUID: sub }) };
    const raw = await this.cfg.transport.invoke(op, args);
    this.throwInBand(op, raw, {});
    this.sessionId = this.parse(op, sub ? S.openSessionSubSchema : S.openSessionSchema, raw);
  }

  /** Best effort: a failing close must not hide the outcome of the work itself. */
  async close(): Promise<void> {
    const id = this.sessionId;
    this.sessionId = undefined;
    if (!id) return;
    await this.cfg.transport.invoke('CloseSession', { SessionID: id }).catch(() => undefined);
  }

  // ---------------------------------------------------------------- operations

  getAdministraties(): Promise<Administratie[]> {
    return this.call('GetAdministraties', {}, S.administratiesSchema);
  }

  getGrootboekrekeningen(filter?: GrootboekrekeningFilter): Promise<Grootboekrekening[]> {
    return this.call('GetGrootboekrekeningen', { cFilter: W.grootboekFilterToWire(filter) }, S.grootboekrekeningenSchema);
  }

  /** Books a mutation; returns its Mutatienummer. */
  async addMutatie(m: MutatieInput): Promise<number> {
    const oMut = this.build(() => W.mutatieToWire(m));
    const codes = [...(m.rekening ? [m.rekening] : []), ...m.regels.map((r) => r.tegenrekeningCode)];
    return this.call('AddMutatie', { oMut }, S.addMutatieSchema, { datum: m.datum, relatiecode: m.relatieCode }, codes);
  }

  getMutaties(filter: MutatieFilter = {}): Promise<Mutatie[]> {
    return this.call('GetMutaties', { cFilter: this.build(() => W.mutatieFilterToWire(filter)) }, S.mutatiesSchema);
  }

  getRelaties(filter?: RelatieFilter): Promise<Relatie[]> {
    return this.call('GetRelaties', { cFilter: W.relatieFilterToWire(filter) }, S.relatiesSchema);
  }

  /** Adds a relatie (Code must be unique); returns its ID. */
  addRelatie(r: RelatieInput): Promise<number> {
    return this.call('AddRelatie', { oRel: this.build(() => W.relatieToWire(r, this.cfg.today())) }, S.addRelatieSchema, { relatiecode: r.code });
  }

  /**
   * Updates the relatie with this code (or id, when given). UpdateRelatie replaces every field, so
   * the current record is read first and only the fields given here change.
   */
  async updateRelatie(r: RelatieUpdate): Promise<void> {
    const current = (await this.getRelaties(r.id ? { id: r.id } : { code: r.code }))[0];
    const merged = current ? ({ ...current, ...definedOnly(r), id: current.id } as RelatieUpdate) : r;
    await this.call('UpdateRelatie', { oRel: this.build(() => W.relatieToWire(merged, this.cfg.today())) }, null, { relatiecode: r.code });
  }

  getArtikelen(filter?: ArtikelFilter): Promise<Artikel[]> {
    return this.call('GetArtikelen', { cFilter: W.artikelFilterToWire(filter) }, S.artikelenSchema);
  }

  /** Creates an invoice (and, with inBoekhoudingPlaatsen, its mutation and open post); returns its number. */
  addFactuur(f: FactuurInput): Promise<string> {
    const oFact = this.build(() => W.factuurToWire(f));
    const ctx = { datum: f.datum, factuursjabloon: f.factuursjabloon, relatiecode: f.relatiecode };
    return this.call('AddFactuur', { oFact }, S.addFactuurSchema, ctx, f.regels.map((r) => r.tegenrekeningCode));
  }

  getFacturen(filter: FactuurFilter = {}): Promise<Factuur[]> {
    return this.call('GetFacturen', { cFilter: this.build(() => W.factuurFilterToWire(filter)) }, S.facturenSchema);
  }

  getOpenPosten(soort: OpenPostSoort = 'Debiteuren'): Promise<OpenPost[]> {
    return this.call('GetOpenPosten', { OpSoort: soort }, S.openPostenSchema);
  }

  // ---------------------------------------------------------------- plumbing

  private build<T>(fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      throw e instanceof KoppelError ? e : invalidInputError(e instanceof Error ? e.message : String(e));
    }
  }

  /**
   * Sends one operation. `schema` null: the result is a flat cError (Update* operations).
   * `ledgerCodes`: codes the call used, to name exactly the missing ones on an unknown-ledger error.
   */
  private async call<T extends z.ZodTypeAny>(op: string, payload: Record<string, unknown>, schema: T | null, ctx: Ctx = {}, ledgerCodes: string[] = []): Promise<z.infer<T>> {
    if (!this.sessionId) await this.open();
    for (let attempt = 0; ; attempt++) {
      const used = this.sessionId;
      const raw = await this.cfg.transport.invoke(op, { SessionID: used, SecurityCode2: this.cfg.credentials.securityCode2, ...payload });
      const err = this.inBand(op, raw, schema === null);
      if (err && attempt === 0 && classify(err.code, err.description) === 'sessionExpired') {
        // The server dropped the session (idle timeout): it is gone, so reopen and retry once.
        await this.reopen(used);
        continue;
      }
      if (err) {
        const missingCodes = classify(err.code, err.description) === 'ledgerUnknown' ? await this.missingLedgers(ledgerCodes) : undefined;
        throw ebInBandError(err.code, err.description, { op, secrets: this.secrets, ...ctx, missingCodes });
      }
      return schema === null ? undefined : this.parse(op, schema, raw);
    }
  }

  /** Parallel calls that all meet E0023 share one reopen; a later one just retries on the new session. */
  private async reopen(expired: string | undefined): Promise<void> {
    if (!this.reopening && this.sessionId === expired) {
      this.reopening = (async () => {
        this.sessionId = undefined;
        await this.open();
      })().finally(() => {
        this.reopening = undefined;
      });
    }
    await this.reopening;
  }

  /** Which of `codes` the chart lacks; empty when the lookup itself fails (the text is used then). */
  private async missingLedgers(codes: string[]): Promise<string[]> {
    if (codes.length === 0) return [];
    try {
      const known = new Set((await this.getGrootboekrekeningen()).map((g) => g.code));
      return [...new Set(codes.filter((c) => !known.has(c)))];
    } catch {
      return [];
    }
  }

  private inBand(op: string, raw: unknown, flat: boolean): { code: string; description: string } | undefined {
    const result = (raw as Record<string, unknown> | null)?.[`${op}Result`];
    const errorMsg = flat ? result : (result as Record<string, unknown> | undefined)?.ErrorMsg;
    if (errorMsg === undefined || errorMsg === null || typeof errorMsg !== 'object') return undefined;
    const parsed = S.errorMsgSchema.safeParse(errorMsg);
    if (!parsed.success) throw unparsableError(op, 'ErrorMsg');
    return parsed.data.code || parsed.data.description ? parsed.data : undefined;
  }

  private throwInBand(op: string, raw: unknown, ctx: Ctx): void {
    const err = this.inBand(op, raw, false);
    if (err) throw ebInBandError(err.code, err.description, { op, secrets: this.secrets, ...ctx });
  }

  private parse<T extends z.ZodTypeAny>(op: string, schema: T, raw: unknown): z.infer<T> {
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw unparsableError(op, `${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'ongeldig'}`);
    }
    return parsed.data;
  }
}

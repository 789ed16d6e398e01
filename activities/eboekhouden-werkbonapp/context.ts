/**
 * What every activity of the e-Boekhouden ↔ WerkbonApp koppeling shares: the koppeling and its
 * settings, the two clients (credentials read at call time), the koppeling's collections, the log,
 * and how an error becomes a user-facing problem.
 */
import { createEboekhoudenClient, type EboekhoudenSession, type Relatie } from '../../src/systems/eboekhouden/client';
import { createWerkbonAppClient, type WerkbonAppClient } from '../../src/systems/werkbonapp/client';
import { isKoppelError, type KoppelError } from '../../src/domain/errors';
import { selectRelationImports } from '../../src/koppelingen/eboekhouden-werkbonapp/domain/import';
import { werkbonappSettings, type WerkbonappSettings } from '../../src/koppelingen/eboekhouden-werkbonapp/settings';
import type { LogEntryInput } from '../../src/store/log';
import type { KoppelingDoc } from '../../src/store/types';
import type { CycleError } from '../../workflows/cycle';
import type { ActivityDeps } from '../deps';
import { missingCredentials } from '../support';
import type { WerkbonCycleRef } from './contract';
import { IMPORT_ENTITY, WerkbonStore } from './store';

export function werkbonContext(deps: ActivityDeps) {
  const db = new WerkbonStore(deps.store);

  async function load(koppelingId: string): Promise<{ k: KoppelingDoc; settings: WerkbonappSettings }> {
    const k = await deps.koppelingen.get(koppelingId);
    if (!k) throw new Error(`koppeling ${koppelingId} bestaat niet meer`);
    await db.ready();
    return { k, settings: werkbonappSettings.parse(k.settings) };
  }

  async function werkbonapp(k: KoppelingDoc): Promise<WerkbonAppClient> {
    const creds = await deps.credentials.read<{ token: string }>(k._id, 'werkbonapp');
    if (!creds?.token) throw missingCredentials('werkbonapp');
    return createWerkbonAppClient({ baseUrl: deps.config.WERKBONAPP_BASE_URL, token: creds.token });
  }

  /** One e-Boekhouden session for the whole activity, always closed. */
  async function withEboekhouden<T>(k: KoppelingDoc, fn: (s: EboekhoudenSession) => Promise<T>): Promise<T> {
    const creds = await deps.credentials.read<{ username: string; securityCode1: string; securityCode2: string }>(k._id, 'eboekhouden');
    if (!creds?.username || !creds.securityCode1 || !creds.securityCode2) throw missingCredentials('eboekhouden');
    return createEboekhoudenClient({ baseUrl: deps.config.EBOEKHOUDEN_BASE_URL, credentials: creds }).withSession(fn);
  }

  /**
   * What the export wrote to e-Boekhouden came from WerkbonApp: record it as imported, so the next
   * import does not send it back (that would be a write, and could undo edits in WerkbonApp).
   */
  async function rememberAsImported(koppelingId: string, now: Relatie): Promise<void> {
    const [rec] = selectRelationImports([now]).relaties;
    if (rec) await db.remember(koppelingId, IMPORT_ENTITY.relaties, [rec]);
  }

  const log = (ref: WerkbonCycleRef, entries: LogEntryInput[]) =>
    deps.log.write(ref.tenantId, ref.koppelingId, entries.map((e) => ({ cycleNo: ref.cycleNo, ...e })));

  return { deps, db, load, werkbonapp, withEboekhouden, rememberAsImported, log };
}

export type WerkbonContext = ReturnType<typeof werkbonContext>;

export const isAuth = (err: unknown) => isKoppelError(err) && (err.type === 'ReauthRequired' || err.type === 'PermissionDenied');
export const isRetryable = (err: unknown) => !isKoppelError(err) || err.retryable;

export function problemOf(err: unknown): { oorzaak: string; oplossing: string } {
  if (isKoppelError(err)) return { oorzaak: err.oorzaak, oplossing: err.oplossing };
  return { oorzaak: err instanceof Error ? err.message : String(err), oplossing: 'Geen actie nodig: de koppeling probeert het bij de volgende synchronisatie opnieuw.' };
}

export function cycleError(err: KoppelError): CycleError {
  return { type: err.type, system: err.system, code: err.code, oorzaak: err.oorzaak, oplossing: err.oplossing };
}

/** The log line of a werkbon that is not invoiced this cycle, with cause and fix. */
export function skipEntry(label: string, werkbonId: string, p: { oorzaak: string; oplossing: string; code?: string }, externalCode?: string): LogEntryInput {
  return {
    level: 'warn',
    code: 'WERKBON_OVERGESLAGEN',
    message: `Werkbon ${label} overgeslagen: ${p.oorzaak} Oplossing: ${p.oplossing}`,
    details: { werkbon: label, werkbonId, ...(p.code ? { reden: p.code } : {}), ...(externalCode ? { code: externalCode } : {}) },
  };
}

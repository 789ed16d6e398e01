/**
 * The Nmbrs ↔ Mijn Kantoor koppeling's shared activity side: the koppeling and its settings, both
 * clients (credentials read at call time), the seed's wording for Nmbrs login and rights errors,
 * and the per-document state (listing fingerprint and filed versions) in MongoDB.
 */
import { KoppelError, isKoppelError } from '../../src/domain/errors';
import { NMBRS_MIJNKANTOOR, nmbrsMijnkantoorSettings, type NmbrsMijnkantoorSettings } from '../../src/koppelingen/nmbrs-mijnkantoor/settings';
import { createMijnKantoorClient, type MijnKantoorClient } from '../../src/systems/mijnkantoor/client';
import type { MijnkantoorCredentials } from '../../src/systems/mijnkantoor/system';
import type { NmbrsClient } from '../../src/systems/nmbrs/client';
import type { NmbrsCredentials } from '../../src/systems/nmbrs/system';
import type { KoppelingDoc } from '../../src/store/types';
import type { ActivityDeps } from '../deps';
import { nmbrsClientWith } from '../nmbrs-journal';
import { loadKoppeling, missingCredentials } from '../support';

export interface Loaded {
  k: KoppelingDoc;
  settings: NmbrsMijnkantoorSettings;
}

/** Per filed source document: the listing fingerprint last seen and the versions filed. */
export interface DocumentState {
  _id: string;
  koppelingId: string;
  kind: string;
  fingerprint: string;
  /** Content hash of the newest filed version. */
  hash?: string;
  version: number;
  /** The highest version number handed out for a new content (filed or not): never given twice. */
  claimedVersion?: number;
  updatedAt: Date;
}

export const DOCUMENT_STATE = 'mijnkantoorDocuments';

/** The seed's checks for "De API-koppeling werkt niet" and "Tenant Key niet gevonden" (FAQ). */
export const SEED_TEXT = {
  apiWerktNiet: {
    oorzaak: 'De API-koppeling met Nmbrs werkt niet: Nmbrs accepteert de Client ID en Client Secret niet.',
    oplossing:
      'Controleer of de Client ID (het e-mailadres waarmee je inlogt in Nmbrs), de Client Secret (het API-token) en de Tenant Key correct zijn ingevuld. Zorg ervoor dat de API-token in Nmbrs geldig is (Gebruiker profiel > API token) en dat de juiste rechten zijn toegewezen.',
  },
  tenantKey: (given: string, actual: string) => ({
    oorzaak: `Tenant Key niet gevonden: Nmbrs kent de Tenant Key "${given}" niet bij deze gebruiker${actual ? ` (de omgeving van deze gebruiker is "${actual}")` : ''}.`,
    oplossing: `Controleer of de Tenant Key correct is ingevuld. Dit is het gedeelte vóór .nmbrs.nl in de URL van je Nmbrs-account${actual ? `, hier waarschijnlijk "${actual}" (uit ${actual}.nmbrs.nl)` : ''}.`,
  }),
  rights: (calls: string[]) => ({
    oorzaak: `Het Nmbrs-account mist API-rechten: ${calls.join(', ')} ${calls.length === 1 ? 'staat' : 'staan'} niet op Actief in de user template van deze gebruiker.`,
    oplossing: calls.some((c) => c.startsWith('SalaryDocuments_AnnualDocument_'))
      ? 'Ga in Nmbrs naar Instellingen > User templates, selecteer het template van deze gebruiker, klik op de tandwieltjes in de kolom API en zet bij Company services alle rechten die beginnen met "SalaryDocuments_AnnualDocument" op Actief. Sla op en probeer het opnieuw.'
      : `Ga in Nmbrs naar Instellingen > User templates, selecteer het template van deze gebruiker, klik op de tandwieltjes in de kolom API en zet ${calls.join(', ')} op Actief. De gebruiker heeft daarnaast Admin-rechten nodig om loonaangiftes, loonstroken en SEPA-bestanden op te halen.`,
  }),
};

export function context(deps: ActivityDeps) {
  const documents = () => deps.store.db.collection<DocumentState>(DOCUMENT_STATE);

  const load = (koppelingId: string): Promise<Loaded> => loadKoppeling(deps, koppelingId, NMBRS_MIJNKANTOOR, nmbrsMijnkantoorSettings);

  async function nmbrs(l: Loaded): Promise<NmbrsClient> {
    const creds = await deps.credentials.read<NmbrsCredentials>(l.k._id, 'nmbrs');
    if (!creds) throw missingCredentials('nmbrs');
    return withSeedErrors(nmbrsClientWith(deps, creds, l.settings.nmbrsTimeoutMs), creds.domain ?? '');
  }

  async function mijnkantoor(l: Loaded): Promise<MijnKantoorClient> {
    const creds = await deps.credentials.read<MijnkantoorCredentials>(l.k._id, 'mijnkantoor');
    if (!creds) throw missingCredentials('mijnkantoor');
    return createMijnKantoorClient({ baseUrl: deps.config.MIJNKANTOOR_BASE_URL, token: creds.token, tenant: creds.tenant, timeoutMs: l.settings.mijnkantoorTimeoutMs });
  }

  /** Companies this koppeling created in Nmbrs, each for its Mijn Kantoor customer (ledger `company` entries). */
  async function companyLinks(koppelingId: string): Promise<Map<number, string>> {
    const posted = await deps.ledger.list({ koppelingId, entity: 'company', status: 'posted' });
    return new Map(posted.filter((d) => d.targetId && d.sourceKey.startsWith('mijnkantoor:')).map((d) => [Number(d.targetId), d.sourceKey.slice('mijnkantoor:'.length)]));
  }

  return { load, nmbrs, mijnkantoor, documents, companyLinks };
}

export type Context = ReturnType<typeof context>;

/**
 * Every Nmbrs call through the seed's words: a refused login (1001) is told apart by asking
 * Environment_Get (no domain needed): if that works, only the Tenant Key is wrong. 1002 names the
 * call and the seed's path to switch it on.
 */
function withSeedErrors(client: NmbrsClient, tenantKey: string): NmbrsClient {
  const translate = async (err: unknown): Promise<never> => {
    if (!isKoppelError(err)) throw err;
    if (err.code === '1001') {
      let actual: string | undefined;
      try {
        actual = (await client.getEnvironment()).subDomain;
      } catch {
        actual = undefined;
      }
      const text = actual !== undefined && actual.toLowerCase() !== tenantKey.toLowerCase() ? SEED_TEXT.tenantKey(tenantKey, actual) : SEED_TEXT.apiWerktNiet;
      throw new KoppelError({ type: 'ReauthRequired', system: 'nmbrs', code: err.code, message: err.message, details: err.details, ...text });
    }
    if (err.code === '1002') {
      const call = String(err.details?.operation ?? '');
      throw new KoppelError({ type: 'PermissionDenied', system: 'nmbrs', code: err.code, message: err.message, details: { ...err.details, missingRights: [call] }, ...SEED_TEXT.rights([call]) });
    }
    throw err;
  };
  return new Proxy(client, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== 'function' || prop === 'getEnvironment') return value;
      return (...args: unknown[]) => (value as (...a: unknown[]) => Promise<unknown>).apply(target, args).catch(translate);
    },
  });
}

/**
 * WerkbonApp answers → KoppelError with a Dutch cause and fix. The token travels in the URL, so
 * everything that leaves this module is passed through `redact` first.
 */
import type { ErrorType } from '../../../domain/errors';
import { KoppelError, rateLimitedError, transientError } from '../../../domain/errors';
import { WERKBONAPP } from '../identity';

const SYSTEM = WERKBONAPP.id;

const TOKEN_FIX =
  'Controleer het API-token van WerkbonApp (Instellingen > Koppelingen) en vul het opnieuw in bij de koppeling.';
const BUG_FIX = 'Neem contact op met de beheerder van Koppelwerk: dit is een fout in de koppeling, niet in uw gegevens.';
const REQUIRED_RE = /^Required field missing:\s*(.+)$/i;

/** Dutch names for the fields WerkbonApp reports as missing, with where to fill them in. */
const FIELD_LABELS: Record<string, { label: string; where: string }> = {
  name: { label: 'naam', where: 'de relatie of uursoort in e-Boekhouden.nl' },
  debtor_number: { label: 'relatiecode', where: 'de relatie in e-Boekhouden.nl' },
  street: { label: 'adres', where: 'de relatie in e-Boekhouden.nl' },
  postal_code: { label: 'postcode', where: 'de relatie in e-Boekhouden.nl' },
  city: { label: 'plaats', where: 'de relatie in e-Boekhouden.nl' },
  code: { label: 'code', where: 'het product of de uursoort in e-Boekhouden.nl (Factureren > Producten/diensten)' },
  description: { label: 'omschrijving', where: 'het product in e-Boekhouden.nl (Factureren > Producten/diensten)' },
  price: { label: 'verkoopprijs', where: 'het product in e-Boekhouden.nl (Factureren > Producten/diensten)' },
  unit: { label: 'eenheid', where: 'het product in e-Boekhouden.nl (Factureren > Producten/diensten > Eenheden)' },
  sale_price: { label: 'verkoopprijs', where: 'de uursoort in e-Boekhouden.nl (Factureren > Producten/diensten)' },
};

/** Replaces every secret (and any `token=` query value) in a text. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (s) out = out.split(s).join('***');
  return out.replace(/((?:software_)?token=)[^&\s"']+/gi, '$1***');
}

export interface ErrorContext {
  /** Endpoint name, e.g. "relations" or "GetWorkorders" (never the URL). */
  endpoint: string;
  secrets: readonly string[];
}

interface Mapped {
  type: ErrorType;
  oorzaak: string;
  oplossing: string;
  details?: Record<string, unknown>;
}

function fromEnvelope(code: number, messages: string[], ctx: ErrorContext, m: Mapped): KoppelError {
  const detail = messages.length > 0 ? `: ${messages.join('; ')}` : '';
  return new KoppelError({
    type: m.type,
    system: SYSTEM,
    code: String(code),
    message: redact(`WerkbonApp ${ctx.endpoint} answered code ${code}${detail}`, ctx.secrets),
    oorzaak: redact(m.oorzaak, ctx.secrets),
    oplossing: m.oplossing,
    details: { endpoint: ctx.endpoint, ...m.details },
  });
}

/** Cause and fix per documented code (contract B2); undefined means "unexpected, retry". */
function mapCode(code: number, messages: string[], endpoint: string): Mapped | undefined {
  const listed = messages.length > 0 ? ` (${messages.join('; ')})` : '';
  switch (code) {
    case 1002:
      return { type: 'ReauthRequired', oorzaak: 'Er is geen API-token van WerkbonApp ingevuld bij de koppeling.', oplossing: TOKEN_FIX };
    case 1004:
      return { type: 'ReauthRequired', oorzaak: 'WerkbonApp weigert het API-token van de koppeling: het is onjuist of ingetrokken.', oplossing: TOKEN_FIX };
    case 1003:
    case 1005:
      return {
        type: 'ReauthRequired',
        oorzaak: 'WerkbonApp weigert het software-token van de koppeling: het ontbreekt of hoort niet bij dit account.',
        oplossing: 'Controleer in WerkbonApp bij Instellingen > Externe koppelingen of de koppeling met e-Boekhouden actief is, en vul de tokens opnieuw in bij de koppeling.',
      };
    case 1006:
      return { type: 'InvalidData', oorzaak: 'WerkbonApp accepteert alleen verbindingen via https.', oplossing: 'Gebruik een https-adres voor WerkbonApp in de instellingen van de koppeling.' };
    case 1000:
    case 1001:
      return {
        type: 'InvalidData',
        oorzaak: `WerkbonApp kent het onderdeel "${endpoint}" niet (verkeerd adres of API-versie).`,
        oplossing: 'Controleer het WerkbonApp-adres en de API-versie in de instellingen van de koppeling.',
      };
    case 1008:
    case 1009:
      return {
        type: 'InvalidData',
        oorzaak: `WerkbonApp kon de verstuurde gegevens voor "${endpoint}" niet lezen (${code === 1008 ? 'geen inhoud' : 'ongeldige JSON'}).`,
        oplossing: BUG_FIX,
      };
    case 1500:
      return {
        type: 'InvalidData',
        oorzaak: 'De werkbon is niet (meer) gevonden in WerkbonApp.',
        oplossing: 'Controleer in WerkbonApp of de werkbon is verwijderd; de koppeling slaat hem over tot hij weer bestaat.',
        details: { notFound: true },
      };
    case 1502:
      return { type: 'InvalidData', oorzaak: 'De koppeling wilde een werkbon wijzigen zonder wijzigingen mee te sturen.', oplossing: BUG_FIX };
    case 1504:
      return {
        type: 'InvalidData',
        oorzaak: `WerkbonApp kon een waarde van de werkbon niet verwerken${listed}.`,
        oplossing: 'Controleer of de werkbonstatus, de medewerker en de datum/tijd in WerkbonApp bestaan en geldig zijn, en start de synchronisatie opnieuw.',
      };
  }
  // x00 codes: "the insert or update of a <entity> failed". Retrying the same rows will not help.
  if (code >= 1100 && code < 3000 && code % 100 === 0) {
    return {
      type: 'InvalidData',
      oorzaak: `WerkbonApp kon de gegevens voor "${endpoint}" niet opslaan${listed}.`,
      oplossing: 'Controleer de gegevens in e-Boekhouden.nl (prijzen, codes, eenheden) en start de synchronisatie opnieuw.',
    };
  }
  // 1007 (uncaught error on their side) and unknown codes.
  return undefined;
}

/** Maps a non-200 envelope code. */
export function envelopeError(code: number, rawMessages: string[], ctx: ErrorContext): KoppelError {
  const messages = rawMessages.map((m) => redact(m, ctx.secrets));
  const missing = messages.map((m) => REQUIRED_RE.exec(m)?.[1]?.trim()).filter((f): f is string => !!f);
  if (missing.length > 0) return fromEnvelope(code, messages, ctx, missingField(missing, ctx.endpoint));
  const mapped = mapCode(code, messages, ctx.endpoint);
  if (mapped) return fromEnvelope(code, messages, ctx, mapped);
  return transient(ctx, `WerkbonApp ${ctx.endpoint} answered code ${code}${messages.length ? `: ${messages.join('; ')}` : ''}`);
}

/** "Required field missing: <field>" (codes x01): names the field in Dutch and says where to fill it. */
function missingField(fields: string[], endpoint: string): Mapped {
  const named = fields.map((f) => (FIELD_LABELS[f] ? `${FIELD_LABELS[f].label} (${f})` : f));
  const where = FIELD_LABELS[fields[0]]?.where ?? 'het record in e-Boekhouden.nl';
  return {
    type: 'InvalidData',
    oorzaak: `WerkbonApp weigert "${endpoint}": verplicht veld ontbreekt: ${named.join(', ')}.`,
    oplossing: `Vul ${named.join(', ')} in bij ${where} en start de synchronisatie opnieuw.`,
    details: { missingFields: fields },
  };
}

/** Network failure, timeout, HTTP 5xx or an unreadable answer. */
export function transient(ctx: ErrorContext, message: string, retryAfterMs?: number): KoppelError {
  const e = transientError(WERKBONAPP, redact(message, ctx.secrets), retryAfterMs);
  return new KoppelError({ ...e.toJSON(), details: { endpoint: ctx.endpoint } });
}

export function rateLimited(ctx: ErrorContext, retryAfterMs: number): KoppelError {
  return rateLimitedError(WERKBONAPP, retryAfterMs, `WerkbonApp ${ctx.endpoint}: HTTP 429, retry after ${retryAfterMs} ms`);
}

/** A caller passed a value the client cannot put on the wire (e.g. an impossible date). */
export function invalidInput(ctx: ErrorContext, message: string): KoppelError {
  return new KoppelError({
    type: 'InvalidData',
    system: SYSTEM,
    message: redact(`WerkbonApp ${ctx.endpoint}: ${message}`, ctx.secrets),
    oorzaak: `De koppeling kon de gegevens voor WerkbonApp niet omzetten: ${redact(message, ctx.secrets)}.`,
    oplossing: BUG_FIX,
    details: { endpoint: ctx.endpoint },
  });
}

/** Only a Compleet werkbon can be marked Afgehandeld. */
export function notCompleteError(ctx: ErrorContext, workorderNo: string, status: string): KoppelError {
  return new KoppelError({
    type: 'InvalidData',
    system: SYSTEM,
    message: `WerkbonApp: werkbon ${workorderNo} has status ${status} and cannot be marked Afgehandeld`,
    oorzaak: `Werkbon ${workorderNo} staat in WerkbonApp op ${status} en kan daarom niet op Afgehandeld worden gezet.`,
    oplossing: 'Laat de medewerker de werkbon afronden (status Compleet) en start de synchronisatie opnieuw.',
    details: { endpoint: ctx.endpoint, workorderNo, status },
  });
}

/**
 * Maps whatever a Nmbrs call throws to a KoppelError with a Dutch cause and fix, in the style of
 * the e-Boekhouden Nmbrs FAQ. Nmbrs puts its code in the fault text: `… ---> 1002: Unauthorized access`.
 * Never pass the original error on: axios errors carry the request envelope, and so the token.
 */
import { KoppelError, rateLimitedError, transientError } from '../../../domain/errors';
import { NMBRS } from '../identity';

export interface NmbrsCallContext {
  service: 'CompanyService' | 'DebtorService' | 'EmployeeService';
  operation: string;
  companyId?: number;
  /** Strings to blank out of any text that ends up in the error (the token). */
  secrets: string[];
}

const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ERR_SOCKET_CONNECTION_TIMEOUT',
  'ERR_BAD_RESPONSE',
]);

export function redact(text: string, secrets: string[]): string {
  return secrets.filter((s) => s.length >= 4).reduce((t, s) => t.split(s).join('***'), text);
}

/** Errors from `soap`/axios are loosely shaped; read them defensively. */
type Loose = Record<string, any>;

/** The fault text of a SOAP 1.1 or 1.2 fault the `soap` package parsed, if there was one. */
function faultText(err: Loose): string | undefined {
  const fault = err?.root?.Envelope?.Body?.Fault;
  if (!fault) return undefined;
  const text = fault.faultstring ?? fault.Reason?.Text;
  const value = typeof text === 'object' && text !== null ? text.$value : text;
  return typeof value === 'string' ? value : String(err.message ?? 'SOAP fault');
}

export function mapNmbrsError(err: unknown, ctx: NmbrsCallContext): KoppelError {
  if (err instanceof KoppelError) return err;
  const e = (err ?? {}) as Loose;
  const fault = faultText(e);
  if (fault !== undefined) return fromFault(redact(fault, ctx.secrets), ctx);

  const status: number | undefined = e.response?.status;
  const what = `Nmbrs ${ctx.service}.${ctx.operation}`;
  if (status === 429) {
    const seconds = Number(e.response?.headers?.['retry-after']);
    return rateLimitedError(NMBRS, Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 1000);
  }
  if (status !== undefined && status >= 400 && status < 500) {
    return invalidData(`${what}: unexpected HTTP ${status}`, ctx, `Visma Nmbrs antwoordde met HTTP-status ${status}.`);
  }
  // 5xx without a SOAP fault, timeouts, dropped connections, truncated or non-XML bodies.
  const detail = [status && `HTTP ${status}`, describe(e)].filter(Boolean).join(', ');
  return transientError(NMBRS, redact(`${what}: ${detail}`, ctx.secrets));
}

function describe(e: Loose): string {
  if (typeof e.code === 'string' && NETWORK_CODES.has(e.code)) return e.code;
  if (e.Fault?.faultstring) return `unparsable response (${String(e.Fault.faultstring)})`; // sax error inside `soap`
  if (typeof e.message === 'string' && e.message) return e.message;
  return 'unknown error';
}

const CODE_RE = /--->\s*(\d{4})\s*:\s*([^\r\n]*)/;

function fromFault(text: string, ctx: NmbrsCallContext): KoppelError {
  const m = CODE_RE.exec(text);
  const code = m?.[1];
  const title = m?.[2]?.trim() ?? text;
  const message = `Nmbrs ${ctx.service}.${ctx.operation}: ${text}`;
  const base = { system: 'nmbrs' as const, code, message, details: { operation: ctx.operation, faultString: text, companyId: ctx.companyId } };
  const bedrijf = ctx.companyId !== undefined ? `bedrijf ${ctx.companyId}` : 'dit bedrijf';
  const section = ctx.service === 'DebtorService' ? 'Debtor Services' : ctx.service === 'EmployeeService' ? 'Employee Services' : 'Company Services';

  switch (code) {
    case '1001':
      return new KoppelError({
        ...base,
        type: 'ReauthRequired',
        oorzaak: `Visma Nmbrs accepteert de inloggegevens niet (${code}: ${title}). De gebruikersnaam, het API-token of het domein klopt niet, of het token is opnieuw aangemaakt.`,
        oplossing:
          'Controleer gebruikersnaam, API-token en domein; genereer zo nodig een nieuw token in Nmbrs onder Gebruiker Profiel > API-token en vul het opnieuw in bij de koppeling.',
      });
    case '1002':
      return new KoppelError({
        ...base,
        type: 'PermissionDenied',
        details: { ...base.details, call: ctx.operation },
        oorzaak:
          `Visma Nmbrs geeft foutmelding '${code}: ${title}': de API-call ${ctx.operation} staat niet op 'Actief' in de API user template van deze gebruiker.` +
          (ctx.operation === 'Journals_GetByRunCompany_v2'
            ? ' Deze call is in oktober 2020 aan de user templates toegevoegd en staat daarom in veel templates nog niet op Actief.'
            : ''),
        oplossing: `Activeer de API-call ${ctx.operation} in de API user template van deze gebruiker in Visma Nmbrs (Webservices > ${section} > ${ctx.operation} op 'Actief').`,
      });
    case '1003':
    case '2004':
      return new KoppelError({
        ...base,
        type: 'PermissionDenied',
        oorzaak:
          code === '1003'
            ? `Deze Nmbrs-gebruiker heeft geen toegang tot de gegevens van ${bedrijf} (${code}: ${title}), bijvoorbeeld door een tag- of filterinstelling.`
            : `Deze Nmbrs-gebruiker heeft geen toegang tot ${bedrijf} (${code}: ${title}): het bedrijf bestaat niet of hoort bij een andere debiteur of omgeving.`,
        oplossing: `Controleer het gekozen bedrijf in de koppeling en geef de API-gebruiker in Visma Nmbrs toegang tot ${bedrijf}, of koppel met een gebruiker van de juiste debiteur.`,
      });
    case '1004':
      return new KoppelError({
        ...base,
        type: 'PermissionDenied',
        oorzaak: `De Visma Nmbrs-omgeving heeft geen geldig abonnement (${code}: ${title}).`,
        oplossing: 'Laat de beheerder van de Nmbrs-omgeving het abonnement activeren; daarna kan de koppeling weer gegevens ophalen.',
      });
    case '1006': // Generic login security failure: Nmbrs says a retry usually works.
      return transientError(NMBRS, message);
    default:
      return invalidData(message, ctx, `Visma Nmbrs weigerde het verzoek ${ctx.operation}: ${text}`, code);
  }
}

function invalidData(message: string, ctx: NmbrsCallContext, oorzaak: string, code?: string): KoppelError {
  return new KoppelError({
    type: 'InvalidData',
    system: 'nmbrs',
    code,
    message: redact(message, ctx.secrets),
    oorzaak: redact(oorzaak, ctx.secrets),
    oplossing: 'Controleer de gegevens in Visma Nmbrs en de instellingen van de koppeling; neem contact op met support als de melding blijft.',
    details: { operation: ctx.operation, companyId: ctx.companyId },
  });
}

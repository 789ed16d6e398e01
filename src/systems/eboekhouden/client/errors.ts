/**
 * e-Boekhouden errors → KoppelError with a Dutch cause (oorzaak) and fix (oplossing).
 * In-band ErrorMsg codes are recognised by the code table in error-codes.ts (INFERRED) and, for
 * codes we do not know, by keywords in the description. Security codes never reach a message:
 * server texts are redacted and raw node-soap errors (which hold the request) are not kept.
 */
import { KoppelError, rateLimitedError, transientError } from '../../../domain/errors';
import { EBOEKHOUDEN } from '../identity';
import { EB_CODES, parseClosedThrough, parseLedgerCodes } from './error-codes';

const SYSTEM = EBOEKHOUDEN.id;
export const API_SETTINGS_PATH = 'Beheer > Inrichting > Instellingen > Koppelingen > API/SOAP';
export const FACTUURSJABLONEN_PATH = 'Beheer > Sjablonen > Factuursjablonen';

export type EbErrorKind =
  | 'sessionExpired'
  | 'auth'
  | 'periodClosed'
  | 'ledgerUnknown'
  | 'unbalanced'
  | 'sjabloonUnknown'
  | 'relatieUnknown'
  | 'duplicate'
  | 'callLimit'
  | 'invalid';

const BY_CODE: Record<string, EbErrorKind> = {
  [EB_CODES.sessionExpired]: 'sessionExpired',
  [EB_CODES.loginFailed]: 'auth',
  [EB_CODES.securityCode2Mismatch]: 'auth',
  [EB_CODES.administratieUnknown]: 'auth',
  [EB_CODES.periodClosed]: 'periodClosed',
  [EB_CODES.ledgerUnknown]: 'ledgerUnknown',
  [EB_CODES.unbalanced]: 'unbalanced',
  [EB_CODES.factuursjabloonUnknown]: 'sjabloonUnknown',
  [EB_CODES.relatieUnknown]: 'relatieUnknown',
  [EB_CODES.factuurnummerExists]: 'duplicate',
  [EB_CODES.relatieCodeExists]: 'duplicate',
  [EB_CODES.grootboekCodeExists]: 'duplicate',
  [EB_CODES.callLimitReached]: 'callLimit',
};

/** Fallback for codes outside our table (the real list is not public). Order matters. */
const BY_TEXT: Array<[RegExp, EbErrorKind]> = [
  [/sessi(e|on).*(verlopen|ongeldig|expired|invalid)/i, 'sessionExpired'],
  [/beveiligingscode|security ?code|gebruikersnaam|inloggen|log ?in|username|wachtwoord/i, 'auth'],
  [/afgesloten|closed/i, 'periodClosed'],
  [/grootboekrekening.*(besta|onbekend|niet gevonden)/i, 'ledgerUnknown'],
  [/balans|balance/i, 'unbalanced'],
  [/sjabloon|template/i, 'sjabloonUnknown'],
  [/relatie.*(bestaat niet|onbekend|niet gevonden)/i, 'relatieUnknown'],
  [/bestaat al|al in gebruik|already exists/i, 'duplicate'],
];

export function classify(code: string, description: string): EbErrorKind {
  return BY_CODE[code] ?? BY_TEXT.find(([re]) => re.test(description))?.[1] ?? 'invalid';
}

export function redact(text: string, secrets: readonly string[]): string {
  return secrets.filter((s) => s.length >= 4).reduce((t, s) => t.split(s).join('***'), text);
}

/** What the connector knew about the failed call, for precise details. */
export interface EbErrorContext {
  op: string;
  datum?: string;
  factuursjabloon?: string;
  relatiecode?: string;
  /** Ledger codes that turned out missing (the session checks the chart); else parsed from the text. */
  missingCodes?: string[];
  secrets: readonly string[];
}

function koppel(type: KoppelError['type'], code: string, message: string, oorzaak: string, oplossing: string, details?: Record<string, unknown>): KoppelError {
  return new KoppelError({ type, system: SYSTEM, code: code || undefined, message, oorzaak, oplossing, details });
}

function msUntilNextMonth(now = new Date()): number {
  return Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1) - now.getTime();
}

export function ebInBandError(code: string, rawDescription: string, ctx: EbErrorContext): KoppelError {
  const description = redact(rawDescription, ctx.secrets);
  const message = `${ctx.op}: ${code || '(geen code)'} ${description}`.trim();
  switch (classify(code, description)) {
    case 'auth':
      return koppel(
        'ReauthRequired', code, message,
        'e-Boekhouden.nl weigert de inloggegevens van de koppeling (gebruikersnaam of beveiligingscodes).',
        `Controleer gebruikersnaam en beveiligingscodes 1 en 2 in e-Boekhouden.nl onder ${API_SETTINGS_PATH}, vul ze opnieuw in bij de koppeling en bevestig daarna.`,
      );
    case 'periodClosed': {
      const closedThrough = parseClosedThrough(description);
      return koppel(
        'PeriodClosed', code, message,
        `De boekdatum${ctx.datum ? ` ${ctx.datum}` : ''} valt in een periode die in e-Boekhouden.nl is afgesloten${closedThrough ? ` (t/m ${closedThrough})` : ''}.`,
        'Heropen de periode in e-Boekhouden.nl, of kies bij de koppeling voor boeken in de eerste open periode.',
        { closedThrough, datum: ctx.datum },
      );
    }
    case 'ledgerUnknown': {
      const missingCodes = ctx.missingCodes?.length ? ctx.missingCodes : parseLedgerCodes(description);
      return koppel(
        'MappingIncomplete', code, message,
        `Grootboekrekening${missingCodes.length === 1 ? '' : 'en'} ${missingCodes.join(', ') || '(onbekend)'} ${missingCodes.length === 1 ? 'bestaat' : 'bestaan'} niet in e-Boekhouden.nl.`,
        'Maak de grootboekrekening aan in e-Boekhouden.nl (Beheer > Inrichting > Grootboekrekeningen) of koppel de code bij de koppeling aan een bestaande grootboekrekening.',
        { missingCodes },
      );
    }
    case 'unbalanced':
      return koppel(
        'InvalidData', code, message,
        'De boeking is niet in balans: debet en credit zijn niet gelijk.',
        'Controleer de bron (bijvoorbeeld de loonjournaalpost) en de koppeling van de looncodes; elke boeking moet evenveel debet als credit bevatten.',
      );
    case 'sjabloonUnknown': {
      const naam = ctx.factuursjabloon ?? '';
      return koppel(
        'InvalidData', code, message,
        `Het factuursjabloon '${naam}' bestaat niet in e-Boekhouden.nl.`,
        `Maak het sjabloon aan in e-Boekhouden.nl via ${FACTUURSJABLONEN_PATH}, of vul bij de koppeling de exacte naam van een bestaand factuursjabloon in.`,
        { factuursjabloon: naam },
      );
    }
    case 'relatieUnknown':
      return koppel(
        'InvalidData', code, message,
        `De relatie${ctx.relatiecode ? ` ${ctx.relatiecode}` : ''} bestaat niet in e-Boekhouden.nl.`,
        "Zet bij de koppeling 'Exporteer relaties' aan of maak de relatie aan in e-Boekhouden.nl (Relaties > Toevoegen).",
        { relatiecode: ctx.relatiecode },
      );
    case 'duplicate':
      return koppel(
        'InvalidData', code, message,
        `e-Boekhouden.nl meldt dat dit al bestaat: ${description}`,
        'Controleer in e-Boekhouden.nl of het gegeven al is verwerkt; gebruik anders een ander (factuur)nummer of een andere code.',
        { duplicate: true },
      );
    case 'callLimit':
      return rateLimitedError(EBOEKHOUDEN, msUntilNextMonth(), message);
    case 'sessionExpired':
      return transientError(EBOEKHOUDEN, `${message} (sessie verliep ook na opnieuw openen)`);
    default:
      return koppel(
        'InvalidData', code, message,
        `e-Boekhouden.nl weigerde de gegevens: ${description}`,
        'Pas de gegevens aan volgens de melding en start de synchronisatie opnieuw.',
      );
  }
}

/** Input the connector refuses before sending (e.g. a malformed date). */
export function invalidInputError(message: string): KoppelError {
  return koppel('InvalidData', '', message, `De gegevens voor e-Boekhouden.nl zijn ongeldig: ${message}`, 'Corrigeer de gegevens in de bron en start de synchronisatie opnieuw.');
}

/** A response that does not match the WSDL/schema: treat as a hiccup and retry. */
export function unparsableError(op: string, detail: string): KoppelError {
  return transientError(EBOEKHOUDEN, `${op}: onverwacht antwoord van e-Boekhouden.nl (${detail})`);
}

interface SoapLikeError {
  code?: string;
  message?: string;
  response?: { status?: number };
  root?: { Envelope?: { Body?: { Fault?: { faultcode?: unknown; faultstring?: unknown } } } };
}

/** HTTP, network and SOAP-fault failures of a call. */
export function ebTransportError(op: string, err: unknown, secrets: readonly string[]): KoppelError {
  const e = (err ?? {}) as SoapLikeError;
  const fault = e.root?.Envelope?.Body?.Fault;
  if (fault) {
    const faultcode = String(fault.faultcode ?? '');
    const faultstring = redact(String(fault.faultstring ?? ''), secrets);
    if (/client|sender/i.test(faultcode)) {
      // The server could not read our request: a connector bug or bad input, retrying will not help.
      return koppel('InvalidData', faultcode, `${op}: SOAP fault ${faultcode}: ${faultstring}`,
        'e-Boekhouden.nl kon het verzoek van de koppeling niet lezen.',
        'Neem contact op met de beheerder van Koppelwerk; de melding staat in het technische logboek.');
    }
    return transientError(EBOEKHOUDEN, `${op}: SOAP fault ${faultcode}: ${faultstring}`);
  }
  const status = e.response?.status;
  if (status) return transientError(EBOEKHOUDEN, `${op}: HTTP ${status}`);
  return transientError(EBOEKHOUDEN, `${op}: ${e.code ?? 'netwerkfout'} ${redact(e.message ?? '', secrets)}`.trim());
}

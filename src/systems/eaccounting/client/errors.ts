/**
 * eAccounting error answers → typed KoppelErrors with the seed's Dutch cause and fix (seed 002's
 * error table, contract §2.2). Every known code in one table; the rest by HTTP status.
 */
import { KoppelError, rateLimitedError, transientError } from '../../../domain/errors';
import { EACCOUNTING } from '../identity';

export interface EaError {
  status: number;
  code?: number;
  message: string;
  errors?: unknown[];
}

const sys = EACCOUNTING.id;

/** "… Try again in 55 seconds." → 55 000 ms (contract §2.3: no headers documented; parse the text). */
export function retryAfterFromText(text: string, header?: string | null): number | undefined {
  const m = /try again in (\d+) seconds?/i.exec(text);
  if (m) return Number(m[1]) * 1000;
  const h = header == null ? NaN : Number(header);
  return Number.isFinite(h) && h >= 0 ? h * 1000 : undefined;
}

export const FISCAL_YEAR_MISSING = {
  oorzaak: 'Het boekjaar is nog niet aangemaakt in Visma eAccounting (Visma: "Resource not found: fiscalYearId").',
  oplossing: 'Log in bij Visma eAccounting en maak het boekjaar aan waarvoor u de journaalposten wilt exporteren; de koppeling verstuurt de run daarna bij de volgende ronde.',
};

export const MODULE_MISSING = {
  oorzaak:
    "De API module is nog niet geactiveerd. U kunt inloggen bij Visma eAccounting en kiezen voor 'Extra diensten' om de API module te activeren. Een mogelijke oorzaak is dat in eAccounting een standaardbedrijf is ingesteld; die instelling is niet toegestaan binnen de koppeling.",
  oplossing: "Zet de instelling 'standaardbedrijf' uit in Visma eAccounting (of activeer de API module via 'Extra diensten') en autoriseer de verbinding opnieuw, zodat u het juiste bedrijf kiest.",
};

export const LEDGER_FIELDS_MISSING = {
  oorzaak: "In Visma zijn één of meer velden van het grootboek (General Ledger) voor de organisatie niet ingevuld (Visma: \"'Ledger' cannot be empty\").",
  oplossing: 'Vul in Visma de ontbrekende grootboekgegevens van de organisatie in; de koppeling verstuurt de run daarna bij de volgende ronde.',
};

/** Contract §2.1: orders need the sales_standard module besides api_standard. */
export const SALES_MODULE_MISSING = {
  oorzaak: 'De module Verkoop (sales_standard) is niet actief in dit bedrijf van Visma eAccounting, dus de API geeft geen orders (Visma: "No access to module: sales_standard").',
  oplossing: "Activeer in Visma eAccounting de verkoopmodule (Instellingen → 'Extra diensten' of het abonnement) en start de synchronisatie opnieuw.",
};

/** Contract §2.4: each endpoint needs its scope; a connection authorised before issue 11 lacks ea:sales. */
export const SCOPE_MISSING = {
  oorzaak: 'De autorisatie van Visma eAccounting geeft deze koppeling geen toegang tot dit deel van de API (Visma: "The token does not have access to the requested scopes"), bijvoorbeeld verkoopgegevens (ea:sales) bij een verbinding die eerder alleen voor boekingen is geautoriseerd.',
  oplossing: 'Autoriseer de verbinding met Visma eAccounting opnieuw en klik op "Toestaan", zodat alle benodigde rechten worden gegeven.',
};

/** The error of one answer. `account` names the row's account for 3002. */
export function mapError(e: EaError, retryAfterHeader?: string | null): KoppelError {
  const text = e.message;
  const base = { system: sys, code: e.code === undefined ? `HTTP ${e.status}` : String(e.code), message: `eAccounting ${e.status}${e.code ? `/${e.code}` : ''}: ${text}` } as const;
  if (/'Ledger' cannot be empty/i.test(text)) return new KoppelError({ ...base, type: 'InvalidData', ...LEDGER_FIELDS_MISSING });
  if (e.status === 429 || e.code === 4010) {
    const ms = retryAfterFromText(text, retryAfterHeader) ?? 60_000;
    return new KoppelError({ ...rateLimitedError(EACCOUNTING, ms, base.message).toJSON(), code: base.code });
  }
  switch (e.code) {
    case 4005:
      return new KoppelError({
        ...base,
        type: 'ReauthRequired',
        oorzaak: 'Visma eAccounting weigerde het toegangstoken (verlopen of ingetrokken).',
        oplossing: 'Autoriseer de verbinding met Visma eAccounting opnieuw.',
      });
    case 4006:
      return new KoppelError({ ...base, type: 'ReauthRequired', ...SCOPE_MISSING });
    case 4002:
      if (/sales_standard/i.test(text)) return new KoppelError({ ...base, type: 'PermissionDenied', ...SALES_MODULE_MISSING });
      if (/module/i.test(text) || e.status === 403) return new KoppelError({ ...base, type: 'PermissionDenied', ...MODULE_MISSING });
      return new KoppelError({ ...base, type: 'InvalidData', oorzaak: `Visma eAccounting kon de boeking niet aanmaken: ${text}`, oplossing: 'Controleer de run en de mapping; zie het logboek voor de details.' });
    case 3000:
    case 3001:
      if (/fiscalYear/i.test(text) || e.code === 3001) return new KoppelError({ ...base, type: 'InvalidData', ...FISCAL_YEAR_MISSING, details: { fiscalYearMissing: true } });
      return transientError(EACCOUNTING, base.message);
    case 3002: {
      const account = /Account (\d+)/i.exec(text)?.[1];
      return new KoppelError({
        ...base,
        type: 'MappingIncomplete',
        oorzaak: `Grootboekrekening ${account ?? '?'} bestaat niet in het rekeningschema van Visma eAccounting voor dit boekjaar.`,
        oplossing: 'Maak de rekening aan in Visma eAccounting, of koppel de looncode in de mapping van de koppeling aan een bestaande rekening.',
        details: { missingCodes: account ? [account] : [] },
      });
    }
    case 4026:
    case 4038:
      return new KoppelError({
        ...base,
        type: 'PeriodClosed',
        oorzaak: e.code === 4026 ? 'De boekingsdatum valt in een vergrendelde periode van Visma eAccounting.' : 'Het boekjaar van de boekingsdatum is vergrendeld in Visma eAccounting.',
        oplossing: 'Geef de periode of het boekjaar vrij in Visma eAccounting als de run er toch in moet; de koppeling probeert deze versie van de run niet opnieuw.',
      });
    case 4003:
    case 4004:
    case 4007:
    case 4009:
    case 4011:
    case 4012:
    case 4019:
      return new KoppelError({
        ...base,
        type: 'PermissionDenied',
        oorzaak: `Visma eAccounting geeft deze gebruiker of dit bedrijf geen toegang (${text}).`,
        oplossing: 'Controleer in Visma eAccounting de rechten van de gebruiker, de licentie en de rechten van de app; autoriseer daarna de verbinding opnieuw.',
      });
    case 2000:
      return new KoppelError({ ...base, type: 'InvalidData', oorzaak: `Visma eAccounting keurde de boeking af: ${text}${e.errors?.length ? ` (${JSON.stringify(e.errors).slice(0, 300)})` : ''}`, oplossing: 'Controleer de run in Visma Nmbrs en de mapping van de koppeling.' });
  }
  if (e.status === 401) return mapError({ ...e, code: 4005 });
  if (e.status >= 500 || e.code === undefined) return transientError(EACCOUNTING, base.message);
  return new KoppelError({ ...base, type: 'InvalidData', oorzaak: `Visma eAccounting weigerde het verzoek: ${text}`, oplossing: 'Zie het logboek voor de details.' });
}

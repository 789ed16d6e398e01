/**
 * Maps Mijn Kantoor answers to KoppelErrors with a Dutch cause and fix. 401/403 are fatal for the
 * import tool too ("update the access token", contract §1.2); 422 is a refusal of our data.
 */
import { KoppelError, rateLimitedError, transientError } from '../../../domain/errors';
import { MIJNKANTOOR } from '../identity';

export interface MkErrorContext {
  what: string;
  tenant: string;
  secrets: string[];
}

export function redact(text: string, secrets: string[]): string {
  return secrets.filter((s) => s.length >= 4).reduce((t, s) => t.split(s).join('***'), text);
}

export function httpError(status: number, body: { code?: string; message?: string; errors?: Record<string, string[]> } | undefined, ctx: MkErrorContext, retryAfter?: string | null): KoppelError {
  const detail = [body?.message, ...Object.entries(body?.errors ?? {}).map(([f, m]) => `${f}: ${m.join(' ')}`)].filter(Boolean).join('; ');
  const message = redact(`Mijn Kantoor ${ctx.what}: HTTP ${status}${detail ? ` (${detail})` : ''}`, ctx.secrets);
  if (status === 401) {
    return new KoppelError({
      type: 'ReauthRequired',
      system: 'mijnkantoor',
      code: '401',
      message,
      oorzaak: 'Mijn Kantoor accepteert het API-token niet (401): het token is verlopen, ingetrokken of verkeerd overgenomen.',
      oplossing: 'Maak in Mijn Kantoor (Beheer > Integraties > Public API) een nieuw API-token aan en vul het opnieuw in bij de koppeling.',
    });
  }
  if (status === 403) {
    return new KoppelError({
      type: 'ReauthRequired',
      system: 'mijnkantoor',
      code: '403',
      message,
      oorzaak: `Het API-token van Mijn Kantoor geeft geen toegang tot tenant "${ctx.tenant}" (403).`,
      oplossing: 'Controleer de tenant bij de koppeling en gebruik een API-token van hetzelfde kantoor.',
    });
  }
  if (status === 429) {
    const s = Number(retryAfter);
    return rateLimitedError(MIJNKANTOOR, Number.isFinite(s) && s > 0 ? s * 1000 : 1000, message);
  }
  if (status >= 500) return transientError(MIJNKANTOOR, message);
  return new KoppelError({
    type: 'InvalidData',
    system: 'mijnkantoor',
    code: String(status),
    message,
    oorzaak: `Mijn Kantoor weigerde ${ctx.what}${detail ? `: ${redact(detail, ctx.secrets)}` : ` (HTTP ${status})`}.`,
    oplossing:
      status === 404
        ? 'Controleer of de relatie of map nog bestaat in Mijn Kantoor en pas zo nodig de instellingen van de koppeling aan.'
        : 'Controleer de gegevens in Mijn Kantoor en de instellingen van de koppeling; neem contact op met support als de melding blijft.',
    details: { status, errors: body?.errors },
  });
}

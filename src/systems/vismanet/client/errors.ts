/**
 * Visma.net answers → VismanetError: a KoppelError (so activities and the workflow handle it like
 * every other) with the client's `kind`, the DTO field a "'<Field>' cannot be empty" names, the
 * Retry-After seconds, and the Dutch cause and fix (contract §1.2, §3.3, §3.4).
 */
import { KoppelError, type ErrorType } from '../../../domain/errors';
import { VISMANET } from '../identity';

export type VismanetErrorKind = 'auth' | 'validation' | 'rateLimited' | 'notFound' | 'conflict' | 'transient';

const TYPE_OF_KIND: Record<VismanetErrorKind, ErrorType> = {
  auth: 'ReauthRequired',
  validation: 'InvalidData',
  rateLimited: 'RateLimited',
  notFound: 'InvalidData',
  conflict: 'InvalidData',
  transient: 'Transient',
};

export class VismanetError extends KoppelError {
  readonly kind: VismanetErrorKind;
  readonly status?: number;
  readonly field?: string;
  readonly retryAfterSeconds?: number;

  constructor(init: { kind: VismanetErrorKind; status?: number; message: string; oorzaak: string; oplossing: string; field?: string; retryAfterSeconds?: number; type?: ErrorType; code?: string }) {
    super({
      type: init.type ?? TYPE_OF_KIND[init.kind],
      system: VISMANET.id,
      code: init.code ?? (init.status === undefined ? undefined : `HTTP ${init.status}`),
      message: init.message,
      oorzaak: init.oorzaak,
      oplossing: init.oplossing,
      retryAfterMs: init.retryAfterSeconds === undefined ? undefined : init.retryAfterSeconds * 1000,
      details: { kind: init.kind, ...(init.field ? { field: init.field } : {}), ...(init.status ? { status: init.status } : {}) },
    });
    this.name = 'VismanetError';
    this.kind = init.kind;
    this.status = init.status;
    this.field = init.field;
    this.retryAfterSeconds = init.retryAfterSeconds;
  }
}

export function isVismanetError(err: unknown): err is VismanetError {
  return err instanceof VismanetError;
}

/** The quoted screen name in "'<Field>' cannot be empty." (§3.3), or undefined. */
export function emptyFieldLabel(text: string): string | undefined {
  return /'([^']+)' cannot be empty/i.exec(text)?.[1];
}

/** Seconds to wait: Retry-After, else X-RateLimit-Reset, else "Try again in N seconds", else 60. */
export function retryAfterSeconds(headers: { get(name: string): string | null }, text: string): number {
  for (const h of ['retry-after', 'x-ratelimit-reset']) {
    const v = headers.get(h);
    if (v !== null && /^\d+$/.test(v.trim())) return Number(v);
    if (h === 'retry-after' && v && !Number.isNaN(Date.parse(v))) return Math.max(1, Math.ceil((Date.parse(v) - Date.now()) / 1000));
  }
  const m = /try again in (\d+) seconds?/i.exec(text);
  return m ? Number(m[1]) : 60;
}

export const TOKEN_REFUSED = {
  oorzaak: 'Visma Connect weigerde de gegevens van de service-integratie (client ID of client secret onjuist, of de applicatie is ingetrokken).',
  oplossing: 'Controleer de Client ID en het client secret in het Visma Developer Portal en vul ze opnieuw in bij de koppeling.',
};
export const TENANT_REFUSED = {
  oorzaak: 'De applicatie is niet goedgekeurd voor deze tenant van Visma.net, of er is de Customer-tenant gekozen in plaats van de Company-tenant (Visma: 401 ondanks een geldig token).',
  oplossing: 'Laat de Integration Administrator de applicatie goedkeuren in de Visma App Store voor het juiste bedrijf, en vul de Tenant ID van de Company-tenant in bij de koppeling.',
};
export const SCOPE_REFUSED = {
  oorzaak: 'De applicatie heeft niet de rechten (scopes) voor deze gegevens in Visma.net ERP.',
  oplossing: 'Vraag in het Visma Developer Portal de scopes voor klanten, artikelen en verkooporders aan (vismanet_erp_service_api:read/create/update en visma.net.erp.salesorder:read/write) en laat de applicatie opnieuw goedkeuren.',
};

/** One non-2xx answer of the ERP or SalesOrders API. `labels` maps the screen names of this call to DTO fields. */
export function mapApiError(status: number, text: string, headers: { get(name: string): string | null }, what: string, labels: Readonly<Record<string, string>> = {}): VismanetError {
  const message = `Visma.net ${what}: HTTP ${status} ${text.slice(0, 500)}`;
  if (status === 401) return new VismanetError({ kind: 'auth', status, message, ...TENANT_REFUSED });
  if (status === 403) return new VismanetError({ kind: 'auth', type: 'PermissionDenied', status, message, ...SCOPE_REFUSED });
  if (status === 429) {
    const s = retryAfterSeconds(headers, text);
    return new VismanetError({
      kind: 'rateLimited',
      status,
      message,
      retryAfterSeconds: s,
      oorzaak: 'Visma.net ERP accepteert tijdelijk geen verzoeken meer van deze koppeling (limiet per uur per bedrijf en applicatie bereikt).',
      oplossing: `Geen actie nodig: de koppeling wacht ${s} seconden en probeert het opnieuw.`,
    });
  }
  if (status === 404) return new VismanetError({ kind: 'notFound', status, message, oorzaak: `Visma.net ERP kent het gevraagde record niet (${what}).`, oplossing: 'Controleer of het record in Visma.net is verwijderd of hernummerd; de koppeling maakt het zo nodig opnieuw aan.' });
  if (status === 409 || status === 412 || status === 428) {
    return new VismanetError({ kind: 'conflict', status, message, oorzaak: `Visma.net ERP weigerde de wijziging omdat het record intussen bestaat of is gewijzigd (${what}).`, oplossing: 'Geen actie nodig als het bij de volgende ronde lukt; blijft het terugkomen, controleer dan het record in Visma.net.' });
  }
  if (status >= 500) return new VismanetError({ kind: 'transient', status, message, oorzaak: 'Visma.net ERP was tijdelijk niet bereikbaar of gaf een onverwacht antwoord.', oplossing: 'Geen actie nodig: de koppeling probeert het automatisch opnieuw.' });
  const label = emptyFieldLabel(text);
  const field = label ? (labels[label] ?? label) : undefined;
  const vismaText = text.replace(/\r?\n/g, ' ').replace(/\s+/g, ' ').trim();
  return new VismanetError({
    kind: 'validation',
    status,
    message,
    field,
    oorzaak: label ? `Visma.net ERP weigerde ${what}: het veld '${label}' is leeg (Visma: "${vismaText.slice(0, 300)}").` : `Visma.net ERP weigerde ${what} (Visma: "${vismaText.slice(0, 300)}").`,
    oplossing: label ? `Vul '${label}' in bij de bron, in de instellingen of in de datamapper van de koppeling (doelveld ${field}); het item wordt daarna opnieuw verstuurd.` : 'Controleer de gegevens van het item en de datamapper; zie het activiteitenlog voor het antwoord van Visma.',
  });
}

/** No answer at all (network, timeout) or an unreadable one. */
export function transient(message: string): VismanetError {
  return new VismanetError({ kind: 'transient', message, oorzaak: 'Visma.net ERP was tijdelijk niet bereikbaar of gaf een onverwacht antwoord.', oplossing: 'Geen actie nodig: de koppeling probeert het automatisch opnieuw.' });
}

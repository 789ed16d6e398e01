/**
 * OAuth2 system definitions: what the platform needs to run the authorisation-code flow and the
 * refresh for one external system. The Visma system definitions will provide one each; tests
 * register the provider simulator's. Client id and secret come from config/env of that system.
 */
export interface OAuth2SystemDef {
  system: string;
  /** For the user, e.g. "Visma eAccounting". */
  label: string;
  authorizeUrl: string;
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  scopes: string[];
  /** Send a PKCE S256 challenge (and the verifier at the code exchange). */
  pkce: boolean;
  /** Extra authorize parameters, e.g. { prompt: 'select_account' } or acr_values. */
  authorizeParams?: Record<string, string>;
  /** Client authentication at the token endpoint; only HTTP Basic for now (Visma IdentityServer). */
  clientAuth?: 'basic';
}

const registry = new Map<string, OAuth2SystemDef>();

export function registerOAuth2System(def: OAuth2SystemDef): void {
  registry.set(def.system, def);
}

export function oauth2SystemFor(system: string): OAuth2SystemDef | undefined {
  return registry.get(system);
}

export function isOAuth2System(system: string): boolean {
  return registry.has(system);
}

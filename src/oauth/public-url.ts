import type { Config } from '../config';

/** Where users reach the admin API: the OAuth2 redirect URI and the authorise links start here. */
export function publicUrl(config: Partial<Pick<Config, 'KOPPELWERK_PUBLIC_URL' | 'PORT'>>): string {
  return (config.KOPPELWERK_PUBLIC_URL ?? `http://localhost:${config.PORT ?? 3000}`).replace(/\/$/, '');
}

/** When an access token must be refreshed: ahead of its expiry, by a buffer. Pure. */
export const REFRESH_BUFFER_MS = 5 * 60_000;

/** True when the token expires within `bufferMs` (or has no known expiry and `unknownIsStale`). */
export function needsRefresh(expiresAt: Date | undefined, now: Date, bufferMs = REFRESH_BUFFER_MS): boolean {
  if (!expiresAt) return false; // a token without expires_in is used until the provider refuses it
  return expiresAt.getTime() - bufferMs <= now.getTime();
}

/** expires_in (seconds) from a token response → an absolute time. */
export function expiryFrom(now: Date, expiresIn: unknown): Date | undefined {
  const s = typeof expiresIn === 'string' ? Number(expiresIn) : expiresIn;
  return typeof s === 'number' && Number.isFinite(s) && s > 0 ? new Date(now.getTime() + s * 1000) : undefined;
}

/** PKCE (RFC 7636), S256 only, and the random values of the authorisation-code flow. Pure. */
import { createHash, randomBytes } from 'node:crypto';

/** 32 random bytes, base64url: 43 characters, inside RFC 7636's 43–128. */
export function newCodeVerifier(): string {
  return randomBytes(32).toString('base64url');
}

export function codeChallengeS256(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

/** The `state` handed to the provider: unguessable, single use. Only its hash is stored. */
export function newState(): string {
  return randomBytes(32).toString('base64url');
}

export function stateKey(state: string): string {
  return createHash('sha256').update(`koppelwerk:oauth-state:${state}`).digest('hex');
}

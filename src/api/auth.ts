/**
 * API keys in a header (`x-api-key`, or `Authorization: Bearer`). The operator key sees every
 * tenant; a tenant key only its own. Keys are compared by hash (tenant keys) or in constant time.
 */
import { timingSafeEqual, createHash } from 'node:crypto';
import type { Request } from 'express';
import type { TenantStore } from '../store/tenants';
import { HttpError } from './route';

export type Principal = { kind: 'operator' } | { kind: 'tenant'; tenantId: string } | { kind: 'anonymous' };

export function presentedKey(req: Request): string | undefined {
  const header = req.header('x-api-key');
  if (header) return header.trim();
  const auth = req.header('authorization');
  if (auth?.toLowerCase().startsWith('bearer ')) return auth.slice(7).trim();
  return undefined;
}

function sameSecret(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb);
}

export async function authenticate(req: Request, operatorKey: string, tenants: TenantStore): Promise<Principal> {
  const key = presentedKey(req);
  if (!key) return { kind: 'anonymous' };
  if (sameSecret(key, operatorKey)) return { kind: 'operator' };
  const tenantId = await tenants.tenantForKey(key);
  if (tenantId) return { kind: 'tenant', tenantId };
  throw new HttpError(401, 'Ongeldige API-sleutel.');
}

/** 403 unless the principal may act for this tenant. */
export function assertTenantAccess(p: Principal, tenantId: string): void {
  if (p.kind === 'operator') return;
  if (p.kind === 'tenant' && p.tenantId === tenantId) return;
  throw new HttpError(403, 'Geen toegang tot deze tenant.');
}

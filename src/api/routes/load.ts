/** Shared by the koppeling routes: load one koppeling the caller may see (404/403 otherwise). */
import type { KoppelingDoc } from '../../store/types';
import { assertTenantAccess, type Principal } from '../auth';
import type { ApiContext } from '../context';
import { HttpError } from '../route';

export async function loadKoppeling(ctx: ApiContext, principal: Principal, id: string): Promise<KoppelingDoc> {
  const k = await ctx.koppelingen.get(id);
  if (!k) throw new HttpError(404, `Koppeling ${id} bestaat niet.`);
  assertTenantAccess(principal, k.tenantId);
  return k;
}

/** The public shape: configuration without secrets. */
export function koppelingView(k: KoppelingDoc) {
  return {
    id: k._id,
    tenantId: k.tenantId,
    type: k.type,
    name: k.name,
    settings: k.settings,
    cadence: k.cadence,
    mapping: k.mapping,
    closedPeriods: k.closedPeriods,
    lifecycle: k.lifecycle,
    version: k.version,
    credentialsVersion: k.credentialsVersion,
    connections: k.connections ?? {},
    status: k.status,
    createdAt: k.createdAt,
    updatedAt: k.updatedAt,
  };
}

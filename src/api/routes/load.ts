import { cadenceSchema, nextDueSpread, spreadOffsetMs } from '../../domain/cadence';
import { logger } from '../../platform/log';
/** Shared by the koppeling routes: load one koppeling the caller may see (404/403 otherwise). */
import type { KoppelingDoc } from '../../store/types';
import { assertTenantAccess, type Principal } from '../auth';
import type { ApiContext } from '../context';
import { HttpError } from '../route';

/** Ids we issue (koppelingen k_…, tenants): anything else cannot exist, so it never reaches the store. */
export const VALID_ID = /^[A-Za-z0-9_-]{1,64}$/;

export async function loadKoppeling(ctx: ApiContext, principal: Principal, id: string): Promise<KoppelingDoc> {
  if (!VALID_ID.test(id)) throw new HttpError(404, `Koppeling ${JSON.stringify(id.slice(0, 80))} bestaat niet.`);
  const k = await ctx.koppelingen.get(id);
  if (!k) throw new HttpError(404, `Koppeling ${id} bestaat niet.`);
  assertTenantAccess(principal, k.tenantId);
  return k;
}

/**
 * The live status from the workflow, or, when Temporal cannot answer (query timeout, no worker,
 * server unreachable), null with `liveUnavailable` saying so: the caller still has the MongoDB
 * mirror in `status`, and an action that already succeeded is not reported as failed.
 */
export async function liveStatus(ctx: ApiContext, k: KoppelingDoc): Promise<{ live: unknown; liveUnavailable?: string }> {
  try {
    return { live: (await ctx.service.status(k)) ?? null };
  } catch (err) {
    const cause = (err as { cause?: unknown })?.cause;
    const reason = err instanceof Error ? `${err.name}: ${err.message}${cause instanceof Error ? ` (${cause.message})` : ''}` : String(err);
    logger().warn({ tenantId: k.tenantId, koppelingId: k._id, reason }, 'live status unavailable');
    return { live: null, liveUnavailable: `Live status niet beschikbaar (${reason.slice(0, 200)}); "status" is de laatste stand uit MongoDB.` };
  }
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
    status: withCurrentDue(k),
    createdAt: k.createdAt,
    updatedAt: k.updatedAt,
  };
}

/**
 * The mirror's nextDueAt is written with each cycle, not with each idle tick (a tick that finds
 * nothing changed writes nothing, workflows/koppeling.ts): once it has passed while the koppeling
 * is ACTIVE, the next due time follows from the cadence and the koppeling's spread, as the
 * workflow computes it.
 */
export function withCurrentDue(k: KoppelingDoc, now = Date.now()): KoppelingDoc['status'] {
  const s = k.status;
  if (!s || s.state !== 'ACTIVE' || !s.nextDueAt || s.nextDueAt.getTime() > now) return s;
  const cadence = cadenceSchema.safeParse(k.cadence);
  if (!cadence.success) return s;
  try {
    return { ...s, nextDueAt: nextDueSpread(cadence.data, new Date(now), spreadOffsetMs(cadence.data, k._id)) };
  } catch {
    return s;
  }
}

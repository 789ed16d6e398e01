/**
 * Per item tools of koppelingen that have them (eAccounting ↔ Visma.net, seed 004): the datamapper
 * preview on a real source record, and the replay of one item (a failed one, or any other).
 */
import { z } from 'zod';
import { isKoppelError } from '../../domain/errors';
import { ownValue } from '../keys';
import { defineRoute, HttpError } from '../route';
import { loadKoppeling } from './load';

const FLOW = z.enum(['products', 'customers', 'orders']);

export const datamapperPreview = defineRoute({
  method: 'post',
  path: '/koppelingen/:id/datamapper/preview',
  summary: 'Run the datamapper (the stored one, or the one in the body) on a real source record and return the exact target payload',
  tag: 'koppelingen',
  auth: 'any',
  body: z
    .object({
      flow: FLOW,
      /** Which record: SKU or article id, customer id, order id or number; empty: the first one. */
      key: z.string().trim().min(1).max(200).optional(),
      /** A mapping to try before saving it; validated like the stored one. */
      datamapper: z.unknown().optional(),
    })
    .strict(),
  responses: { 200: 'source record and target payload', 400: 'invalid mapping or a transform error (field and reason)', 403: 'other tenant', 404: 'unknown, no such record, or not supported by this type', 409: 'credentials refused', 502: 'source unreachable' },
  handler: async ({ ctx, principal, params, body }) => {
    const k = await loadKoppeling(ctx, principal, params.id);
    const preview = ownValue(ctx.previews, k.type)?.datamapperPreview;
    if (!preview) throw new HttpError(404, `Koppelingstype ${k.type} heeft geen datamapper.`);
    let r: { ok: boolean; status?: number; message?: string; issues?: { field: string; reason: string }[] };
    try {
      r = (await preview(k._id, body)) as typeof r;
    } catch (err) {
      // The source or target answered with a known problem: its Dutch cause and fix, not a 500.
      if (!isKoppelError(err)) throw err;
      const auth = err.type === 'ReauthRequired' || err.type === 'PermissionDenied';
      throw new HttpError(auth ? 409 : 502, `${err.oorzaak} Oplossing: ${err.oplossing}`);
    }
    if (!r.ok) throw new HttpError(r.status ?? 400, r.message ?? 'Ongeldige invoer', r.issues);
    return r;
  },
});

export const replayItem = defineRoute({
  method: 'post',
  path: '/koppelingen/:id/items/:flow/:itemKey/replay',
  summary: 'Push one item again (e.g. a failed one) with a cycle started now',
  tag: 'koppelingen',
  auth: 'any',
  body: z.object({}).strict().optional(),
  responses: { 202: 'requested; the cycle pushes it', 400: 'unknown flow', 403: 'other tenant', 404: 'unknown koppeling or item, or not supported by this type' },
  handler: async ({ ctx, principal, params, res }) => {
    const k = await loadKoppeling(ctx, principal, params.id);
    const replay = ownValue(ctx.previews, k.type)?.replayItem;
    if (!replay) throw new HttpError(404, `Koppelingstype ${k.type} kent geen replay per item.`);
    const flow = FLOW.safeParse(params.flow);
    if (!flow.success) throw new HttpError(400, 'Ongeldige invoer', [{ field: 'flow', reason: 'must be products, customers or orders' }]);
    if (params.itemKey.length > 200) throw new HttpError(404, 'Dit item is (nog) niet door de koppeling verwerkt.');
    const r = await replay(k._id, flow.data, params.itemKey);
    if (!r.found) throw new HttpError(404, `Item ${params.itemKey} van ${flow.data} is (nog) niet door de koppeling verwerkt.`);
    const live = await ctx.service.syncNow(k, `replay ${flow.data} ${params.itemKey}`);
    res.status(202);
    return { flow: flow.data, itemKey: params.itemKey, previous: { state: r.state, message: r.message }, live };
  },
});

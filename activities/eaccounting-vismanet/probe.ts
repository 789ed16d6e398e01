/**
 * `evProbe` (eAccounting queue): what a due tick of the eAccounting → Visma.net koppeling must read
 * to notice that a cycle has work, and nothing more: the eAccounting lists of the flows switched on
 * (articles, orders in the selected statuses, customers), the same lists the scan reads. Visma.net
 * is the target and is not read; what was sent is in MongoDB, and a cycle that left work behind
 * (an order waiting for a product, a failed item) ended `partial`, so the next tick runs a cycle
 * anyway. Of MongoDB only the koppeling and its eAccounting token. An idle 5-minute tick thus costs
 * one to three eAccounting calls, no Visma.net call and no child workflow.
 */
import { EACCOUNTING_VISMANET, eaccountingVismanetSettings } from '../../src/koppelingen/eaccounting-vismanet/settings';
import { createEaccountingClient } from '../../src/systems/eaccounting/client';
import type { ActivityDeps } from '../deps';
import { fingerprintOf, probeSupport, type ProbeInput, type ProbeResult } from '../probe';
import { alive, missingCredentials } from '../support';

export function probe(deps: ActivityDeps) {
  const support = probeSupport(deps);
  return async function evProbe(input: ProbeInput): Promise<ProbeResult> {
    const k = await support.load(input.koppelingId, EACCOUNTING_VISMANET);
    const s = eaccountingVismanetSettings.parse(k.settings);
    const creds = await support.secrets(k, ['eaccounting']);
    const token = creds.eaccounting.accessToken;
    if (!token) throw missingCredentials('eaccounting');
    const ea = createEaccountingClient({
      baseUrl: deps.config.EACCOUNTING_BASE_URL,
      token: { get: async () => token, refused: (t) => deps.credentials.refusedToken(k._id, 'eaccounting', t) },
    });
    const [articles, orders, customers] = await alive(() =>
      Promise.all([
        s.flows.products ? ea.listArticles() : undefined,
        s.flows.orders ? ea.listOrders({ statuses: s.orders.statuses, ...(s.orders.since ? { modifiedSince: s.orders.since } : {}) }) : undefined,
        s.flows.customers ? ea.listCustomers() : undefined,
      ]),
    );
    return fingerprintOf(k, { articles, orders, customers });
  };
}

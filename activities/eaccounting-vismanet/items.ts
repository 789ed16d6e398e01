/**
 * The admin API's tools for this koppeling (through its `previews`): the datamapper preview on a
 * real eAccounting record, and the replay of one item. Read-only towards the external systems.
 */
import { composeCustomer, composeOrder, composeProduct, orderSource } from '../../src/koppelingen/eaccounting-vismanet/domain/compose';
import { customerEmail, mapPaymentTerms, matchCustomer } from '../../src/koppelingen/eaccounting-vismanet/domain/customers';
import { chooseDebtor, orderSkus, planOrder } from '../../src/koppelingen/eaccounting-vismanet/domain/orders';
import { skuKey, skuOf } from '../../src/koppelingen/eaccounting-vismanet/domain/products';
import type { SourceArticle, SourceCustomer, SourceOrder, SourceTermsOfPayment } from '../../src/koppelingen/eaccounting-vismanet/domain/types';
import { datamapperIssues, datamapperSchema, type Datamapper } from '../../src/koppelingen/eaccounting-vismanet/domain/datamapper';
import type { ActivityDeps } from '../deps';
import type { EvFlow } from './contract';
import { evContext, honouringRetryAfter } from './context';

export interface DatamapperPreviewInput {
  flow: EvFlow;
  /** Which record: SKU or id (products), customer id, order id or number; empty: the first one. */
  key?: string;
  /** A mapping to try instead of the stored one (validated by the route). */
  datamapper?: Datamapper;
}

export type DatamapperPreview =
  | { ok: true; flow: EvFlow; key: string; source: unknown; payload: Record<string, unknown>; notes: string[] }
  | { ok: false; status: 400 | 404; message: string; issues?: { field: string; reason: string }[] };

export function createEvItems(deps: ActivityDeps) {
  const c = evContext(deps);

  async function datamapperPreview(koppelingId: string, input: DatamapperPreviewInput): Promise<DatamapperPreview> {
    let tried: Datamapper | undefined;
    if (input.datamapper !== undefined) {
      const parsed = datamapperSchema.safeParse(input.datamapper);
      if (!parsed.success) {
        return { ok: false, status: 400, message: 'De datamapper is ongeldig.', issues: datamapperIssues(parsed.error, input.datamapper) };
      }
      tried = parsed.data;
    }
    const l = await c.load(koppelingId);
    const s = { ...l.settings, ...(tried !== undefined ? { datamapper: tried } : {}) };
    const ea = c.eaccounting(l);
    const want = input.key?.trim();
    const notFound = (what: string): DatamapperPreview => ({ ok: false, status: 404, message: `Geen ${what} gevonden in Visma eAccounting${want ? ` met ${want}` : ''}.` });
    const terms = async () => (await honouringRetryAfter(() => ea.listTermsOfPayment())) as unknown as SourceTermsOfPayment[];

    if (input.flow === 'products') {
      const all = (await honouringRetryAfter(() => ea.listArticles())) as SourceArticle[];
      const a = want ? all.find((x) => x.Id === want || skuKey(skuOf(x)) === skuKey(want)) : all[0];
      if (!a) return notFound('artikel');
      const r = composeProduct(a, s);
      if (r.errors.length) return { ok: false, status: 400, message: `De datamapper geeft een fout op artikel ${skuOf(a)}.`, issues: r.errors };
      return { ok: true, flow: 'products', key: skuOf(a), source: a, payload: r.payload, notes: [] };
    }
    if (input.flow === 'customers') {
      const cu = (want ? await honouringRetryAfter(() => ea.getCustomer(want)) : ((await honouringRetryAfter(() => ea.listCustomers())) as SourceCustomer[])[0]) as SourceCustomer | undefined;
      if (!cu) return notFound('klant');
      const r = composeCustomer(cu, await terms(), s);
      if (r.errors.length) return { ok: false, status: 400, message: `De datamapper geeft een fout op klant ${cu.Name}.`, issues: r.errors };
      return { ok: true, flow: 'customers', key: cu.Id, source: cu, payload: r.payload, notes: r.unmappedTerm ? [`Betalingsconditie ${r.unmappedTerm} is niet gekoppeld aan een Visma.net-betalingsconditie.`] : [] };
    }
    let order: SourceOrder | undefined;
    if (want) {
      order = (await honouringRetryAfter(() => ea.getOrder(want)).catch(() => undefined)) as SourceOrder | undefined;
      if (!order) order = ((await honouringRetryAfter(() => ea.listOrders({}))) as SourceOrder[]).find((o) => String(o.Number) === want);
    } else order = ((await honouringRetryAfter(() => ea.listOrders({ statuses: l.settings.orders.statuses }))) as SourceOrder[])[0];
    if (!order) return notFound('order');
    const customer = (await honouringRetryAfter(() => ea.getCustomer(order.CustomerId))) as SourceCustomer | undefined;
    const notes: string[] = [];
    let customerNumber = '(nieuwe klant)';
    if (customer) {
      const debtor = chooseDebtor(customer, s.defaultDebtor);
      if (debtor.use === 'default') customerNumber = debtor.number;
      else if (debtor.use === 'none') notes.push(debtor.reason);
      else {
        // Read-only: which Visma.net customer the order would go to.
        const vn = await c.vismanet(l).catch(() => undefined);
        const found = vn ? await vn.findCustomersByEmail(customerEmail(customer)).catch(() => undefined) : undefined;
        const m = found ? matchCustomer(customerEmail(customer), found.map((x) => ({ number: String(x.number), email: x.mainContact?.email ?? undefined }))) : undefined;
        if (m?.kind === 'update') customerNumber = m.number;
        if (m?.kind === 'conflict') notes.push(m.message);
      }
    }
    const articleNumbers = new Map<string, string>();
    if (order.Rows.some((r) => !r.IsTextRow && !r.ArticleNumber && r.ArticleId)) {
      for (const a of (await honouringRetryAfter(() => ea.listArticles())) as SourceArticle[]) articleNumbers.set(a.Id, skuOf(a));
    }
    const plan = planOrder({
      order,
      exists: false,
      knownSkus: new Set(orderSkus(order, articleNumbers).skus.map(skuKey)),
      articleNumbers,
      customerNumber,
      settings: s.orders,
      payment: mapPaymentTerms(customer?.TermsOfPaymentId, customer?.TermsOfPaymentId ? await terms() : [], s),
    });
    if (plan.action !== 'create') return { ok: false, status: 400, message: plan.reason };
    const r = composeOrder(plan, order, customer, s, articleNumbers);
    if (r.errors.length) return { ok: false, status: 400, message: `De datamapper geeft een fout op order ${order.Number}.`, issues: r.errors };
    return { ok: true, flow: 'orders', key: order.Id, source: orderSource(order, customer, articleNumbers), payload: r.payload, notes };
  }

  /** Ask the next cycle to push this one item again, whatever happened to it before. */
  async function replayItem(koppelingId: string, flow: EvFlow, itemKey: string): Promise<{ found: boolean; state?: string; message?: string }> {
    await c.load(koppelingId);
    const before = await c.db.item(koppelingId, flow, itemKey);
    if (!before) return { found: false };
    await c.db.requestReplay(koppelingId, flow, itemKey);
    return { found: true, state: before.state, message: before.message };
  }

  return { datamapperPreview, replayItem };
}

/**
 * `evScan` (eAccounting queue): reads one flow's source records, and stages the ones that need a
 * push: new or changed since last time, waiting or failed for a reason that may have passed, or
 * asked to be replayed. What is done and unchanged is not staged, so a quiet cycle writes nothing.
 * Orders are staged with their customer, their terms of payment and the article numbers of rows
 * that only carry an article id, so the push only talks to Visma.net.
 */
import { contentHash } from '../../src/domain/hash';
import { customerEmail } from '../../src/koppelingen/eaccounting-vismanet/domain/customers';
import { orderSelected } from '../../src/koppelingen/eaccounting-vismanet/domain/orders';
import { skuKey, skuOf } from '../../src/koppelingen/eaccounting-vismanet/domain/products';
import type { SourceArticle, SourceCustomer, SourceOrder, SourceTermsOfPayment } from '../../src/koppelingen/eaccounting-vismanet/domain/types';
import { alive, heartbeat } from '../support';
import type { EvCycleRef, EvFlow, EvScanResult } from './contract';
import { honouringRetryAfter, type EvContext } from './context';
import type { ItemDoc } from './store';

/** Items pushed per cycle and flow at most: the rest follows next cycle (history and memory stay bounded). */
export const MAX_PER_CYCLE = 2000;
/** From this many customers of staged orders on, the scan lists all customers instead of reading each. */
const CUSTOMER_LIST_FROM = 10;

/** Does this item need a push? */
export function needsPush(item: ItemDoc | undefined, hash: string, terminalWhenDone: boolean): boolean {
  if (!item || item.replay) return true;
  if (item.state === 'waiting') return true; // a missing product may exist now
  if (item.hash !== hash) return !terminalWhenDone || (item.state !== 'done' && item.state !== 'skipped');
  if (item.state === 'failed') return !item.stuck;
  return false;
}

export function scan(c: EvContext) {
  return async function evScan(input: EvCycleRef & { flow: EvFlow }): Promise<EvScanResult> {
    return alive(async () => {
      const l = await c.load(input.koppelingId);
      const ea = c.eaccounting(l);
      const s = l.settings;
      const items = await c.db.itemsOf(l.k._id, input.flow);
      const staged: Array<{ key: string; hash: string; data: Record<string, unknown> }> = [];
      let seen = 0;
      let deferred = 0;
      // The datamapper of a flow is part of what was sent: a new mapping sends everything again.
      const mapperHash = contentHash(s.datamapper ?? null);
      let terms: Promise<SourceTermsOfPayment[]> | undefined;
      const termsList = () => (terms ??= honouringRetryAfter(() => ea.listTermsOfPayment()) as unknown as Promise<SourceTermsOfPayment[]>);
      const paymentHash = contentHash([s.paymentTerms, s.defaultPaymentTerm, s.paymentMethods, s.defaultPaymentMethod, s.customers]);

      if (input.flow === 'products') {
        const articles = (await honouringRetryAfter(() => ea.listArticles())) as SourceArticle[];
        for (const a of articles) {
          if (s.products.activeOnly && !a.IsActive) continue;
          const sku = skuOf(a);
          if (!sku) continue;
          seen++;
          // The update checkbox is part of it: switched on, articles left alone before are looked at again.
          const hash = contentHash([a, mapperHash, s.products.update]);
          if (needsPush(items.get(skuKey(sku)), hash, false)) staged.push({ key: skuKey(sku), hash, data: { article: a } });
        }
      } else if (input.flow === 'customers') {
        const customers = (await honouringRetryAfter(() => ea.listCustomers())) as SourceCustomer[];
        const t = customers.some((x) => x.TermsOfPaymentId) ? await termsList() : [];
        for (const cu of customers) {
          seen++;
          const hash = contentHash([cu, paymentHash, mapperHash]);
          if (!needsPush(items.get(cu.Id), hash, false)) continue;
          const term = t.find((x) => x.Id === cu.TermsOfPaymentId);
          staged.push({ key: cu.Id, hash, data: { customer: cu, terms: term ? [term] : [] } });
        }
      } else {
        const orders = ((await honouringRetryAfter(() => ea.listOrders({ statuses: s.orders.statuses, ...(s.orders.since ? { modifiedSince: s.orders.since } : {}) }))) as SourceOrder[]).filter((o) =>
          orderSelected(o, s.orders.statuses, s.orders.since),
        );
        const customers = new Map<string, Promise<SourceCustomer | undefined>>();
        // Many customers: one list (paged) instead of a GET per customer.
        const wanted = new Set(orders.filter((o) => needsPush(items.get(o.Id), contentHash([o, mapperHash]), true)).map((o) => o.CustomerId));
        if (wanted.size > CUSTOMER_LIST_FROM) {
          const all = (await honouringRetryAfter(() => ea.listCustomers())) as SourceCustomer[];
          for (const cu of all) if (wanted.has(cu.Id)) customers.set(cu.Id, Promise.resolve(cu));
        }
        let articleNumbers: Promise<Map<string, string>> | undefined;
        for (const o of orders) {
          seen++;
          // An order is sent once: once done or skipped, later changes in eAccounting are not sent again.
          const hash = contentHash([o, mapperHash]);
          if (!needsPush(items.get(o.Id), hash, true)) continue;
          if (staged.length >= MAX_PER_CYCLE) {
            deferred++;
            continue;
          }
          heartbeat();
          if (!customers.has(o.CustomerId)) customers.set(o.CustomerId, honouringRetryAfter(() => ea.getCustomer(o.CustomerId)) as Promise<SourceCustomer | undefined>);
          const customer = await customers.get(o.CustomerId)!;
          let numbers: Record<string, string> = {};
          if (o.Rows.some((r) => !r.IsTextRow && !r.ArticleNumber && r.ArticleId)) {
            articleNumbers ??= honouringRetryAfter(() => ea.listArticles()).then((xs) => new Map((xs as SourceArticle[]).map((a) => [a.Id, skuOf(a)])));
            const all = await articleNumbers;
            numbers = Object.fromEntries(o.Rows.flatMap((r) => (r.ArticleId && all.has(r.ArticleId) ? [[r.ArticleId, all.get(r.ArticleId)!]] : [])));
          }
          const term = customer?.TermsOfPaymentId ? (await termsList()).find((x) => x.Id === customer.TermsOfPaymentId) : undefined;
          staged.push({ key: o.Id, hash, data: { order: o, customer: customer ?? null, email: customer ? customerEmail(customer) : '', articleNumbers: numbers, terms: term ? [term] : [] } });
        }
      }
      const keys = staged.slice(0, MAX_PER_CYCLE);
      await c.db.stage(l.k._id, input.flow, keys);
      return { seen, keys: keys.map((x) => x.key), deferred: deferred + staged.length - keys.length };
    });
  };
}

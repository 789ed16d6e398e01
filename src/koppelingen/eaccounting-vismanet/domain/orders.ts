/**
 * Orders flow (seed 004 "Bestellingen"): eAccounting orders with a selected status → Visma.net
 * sales orders. In the seed's order: an order already in Visma.net is skipped (recognised by a
 * deterministic external reference stored on the Visma.net order and in the ledger); the customer
 * is found by e-mail and created or updated (or the default debtor is used); every product must
 * exist in Visma.net first (else the order waits, listing the missing SKUs, and the others go
 * on); missing data such as the branch is filled in from the settings; then the order is confirmed.
 */
import { debtorKind, customerEmail } from './customers';
import { skuKey } from './products';
import type { SourceCustomer, SourceOrder, TargetOrderLine, TargetSalesOrder } from './types';
import { compact, trimTo } from './payload';

/**
 * The external reference of an eAccounting order in Visma.net (its `customerRefNo`): the order
 * number people recognise, plus the start of eAccounting's order id so two eAccounting companies
 * feeding one Visma.net company cannot collide. Deterministic: every attempt, crash or cycle
 * computes the same one, so the lookup after an uncertain write finds the earlier order.
 */
export function orderReference(order: Pick<SourceOrder, 'Id' | 'Number'>): string {
  const id = String(order.Id).replace(/[^0-9a-z]/gi, '').slice(0, 8).toUpperCase();
  return `EA-${String(order.Number).trim()}-${id}`;
}

/** Only the statuses the user selected (and, with a start date, only orders changed since). */
export function orderSelected(order: Pick<SourceOrder, 'Status' | 'ModifiedUtc' | 'OrderDate'>, statuses: number[], since?: string): boolean {
  if (!statuses.includes(order.Status)) return false;
  if (!since) return true;
  const changed = (order.ModifiedUtc ?? order.OrderDate ?? '').slice(0, 10);
  return changed >= since;
}

export interface OrderLineRef {
  sku?: string;
  articleId?: string;
}

/** The product rows of an order (text rows carry no product). */
export function productRows(order: SourceOrder) {
  return order.Rows.filter((r) => !r.IsTextRow && (r.ArticleNumber || r.ArticleId));
}

/** The order's SKUs, once each, in row order; `articleNumbers` resolves rows that only carry an ArticleId. */
export function orderSkus(order: SourceOrder, articleNumbers: Map<string, string> = new Map()): { skus: string[]; unresolved: string[] } {
  const skus: string[] = [];
  const unresolved: string[] = [];
  for (const r of productRows(order)) {
    const sku = (r.ArticleNumber ?? (r.ArticleId ? articleNumbers.get(r.ArticleId) : undefined) ?? '').trim();
    if (!sku) unresolved.push(r.ArticleId ?? `regel ${r.LineNumber ?? '?'}`);
    else if (!skus.some((s) => skuKey(s) === skuKey(sku))) skus.push(sku);
  }
  return { skus, unresolved };
}

export type DebtorChoice = { use: 'default'; number: string } | { use: 'own'; email: string } | { use: 'none'; reason: string };

/** Which Visma.net debtor an order goes to: the default debtor when the settings say so, else the order's own customer by e-mail. */
export function chooseDebtor(customer: SourceCustomer, defaultDebtor?: { number: string; use: 'always' | 'persons' | 'noEmail' }): DebtorChoice {
  const email = customerEmail(customer);
  if (defaultDebtor) {
    if (defaultDebtor.use === 'always') return { use: 'default', number: defaultDebtor.number };
    if (defaultDebtor.use === 'persons' && debtorKind(customer) === 'person') return { use: 'default', number: defaultDebtor.number };
    if (!email) return { use: 'default', number: defaultDebtor.number };
  }
  if (!email) return { use: 'none', reason: `klant ${customer.Name || customer.CustomerNumber || customer.Id} heeft geen e-mailadres, en er is geen standaarddebiteur ingesteld` };
  return { use: 'own', email };
}

export interface OrderSettings {
  orderType: string;
  branch: string;
  warehouse?: string;
}

export type OrderPlan =
  | { action: 'skip'; reason: string }
  | { action: 'wait'; missingSkus: string[]; reason: string }
  | { action: 'create'; reference: string; payload: TargetSalesOrder };

/**
 * What happens with one order. `exists`: Visma.net (or the ledger) already has an order with its
 * reference; `knownSkus`: the SKUs Visma.net has (upper case); `customerNumber`: its debtor there.
 */
export function planOrder(input: {
  order: SourceOrder;
  exists: boolean;
  knownSkus: ReadonlySet<string>;
  articleNumbers?: Map<string, string>;
  customerNumber: string;
  settings: OrderSettings;
  payment?: { creditTermsId?: string; paymentMethodId?: string };
}): OrderPlan {
  const { order, settings } = input;
  const reference = orderReference(order);
  if (input.exists) return { action: 'skip', reason: `order ${order.Number} staat al in Visma.net (referentie ${reference})` };
  const { skus, unresolved } = orderSkus(order, input.articleNumbers);
  const missing = [...skus.filter((s) => !input.knownSkus.has(skuKey(s))), ...unresolved];
  if (missing.length) {
    return {
      action: 'wait',
      missingSkus: missing,
      reason: `order ${order.Number} wacht: ${missing.length === 1 ? 'product' : 'producten'} ${missing.join(', ')} ${missing.length === 1 ? 'bestaat' : 'bestaan'} nog niet in Visma.net`,
    };
  }
  const articleNumbers = input.articleNumbers ?? new Map<string, string>();
  const lines: TargetOrderLine[] = productRows(order).map(
    (r) =>
      compact({
        inventoryId: (r.ArticleNumber ?? articleNumbers.get(r.ArticleId ?? '') ?? '').trim(),
        quantity: r.Quantity ?? 1,
        unitPrice: typeof r.UnitPrice === 'number' ? r.UnitPrice : undefined,
        // eAccounting keeps discounts as a fraction (0–1), Visma.net as a percentage.
        discountPercent: r.DiscountPercentage ? Math.round(r.DiscountPercentage * 10000) / 100 : undefined,
        description: trimTo(r.Text, 255),
        warehouseId: settings.warehouse,
      }) as TargetOrderLine,
  );
  const delivery = compact({
    name: trimTo(order.DeliveryCustomerName, 60),
    addressLine1: trimTo(order.DeliveryAddress1, 50),
    addressLine2: trimTo(order.DeliveryAddress2, 50),
    postalCode: trimTo(order.DeliveryPostalCode, 10),
    city: trimTo(order.DeliveryCity, 50),
    countryId: trimTo(order.DeliveryCountryCode, 2)?.toUpperCase(),
  });
  const payload = compact({
    type: settings.orderType,
    customer: { id: input.customerNumber },
    customerRefNo: reference,
    customerOrder: trimTo(order.BuyersOrderReference ?? order.YourReference, 30),
    date: order.OrderDate?.slice(0, 10),
    currency: trimTo(order.CurrencyCode, 3),
    description: `eAccounting order ${order.Number}`,
    // The seed: "ontbrekende gegevens (bijvoorbeeld BranchId) worden toegevoegd".
    branchId: settings.branch,
    creditTermsId: input.payment?.creditTermsId,
    paymentMethodId: input.payment?.paymentMethodId,
    shipping: { preferredWarehouseId: settings.warehouse, address: Object.keys(delivery).length ? delivery : undefined },
  }) as TargetSalesOrder;
  payload.orderLines = lines;
  return { action: 'create', reference, payload };
}

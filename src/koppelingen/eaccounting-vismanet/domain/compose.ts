/**
 * The exact Visma.net payload of one source record: what the koppeling itself sends (the SKU, the
 * unit, the business/person debtor details, the order's own customer, reference, branch, payment
 * terms, warehouse and product lines) with the datamapper's payload (the seed's default mapping
 * plus the user's own) laid over it. The fields the koppeling keys on stay its own: the SKU, the
 * order's customer and external reference. Used by the push and by the datamapper preview, so the
 * preview shows exactly what the push sends.
 */
import { applyDatamapper, type Datamapper } from './datamapper';
import { defaultCustomer, mapPaymentTerms } from './customers';
import { productRows, type OrderPlan } from './orders';
import { overlay } from './payload';
import { defaultInventory } from './products';
import type { SourceArticle, SourceCustomer, SourceOrder, SourceTermsOfPayment, TargetCustomer, TargetInventory, TargetSalesOrder } from './types';

export interface Composed<T> {
  payload: T;
  errors: { field: string; reason: string }[];
}

interface PaymentSettings {
  paymentTerms: Record<string, string>;
  defaultPaymentTerm?: string;
  paymentMethods: Record<string, string>;
  defaultPaymentMethod?: string;
}

export function composeProduct(article: SourceArticle, s: { datamapper?: Datamapper }): Composed<TargetInventory> {
  const base = defaultInventory(article);
  const mapped = applyDatamapper(s.datamapper, 'products', article);
  // The SKU is the key in both systems: a mapping cannot move an item to another number.
  return { payload: { ...overlay(base, mapped.payload), inventoryNumber: base.inventoryNumber }, errors: mapped.errors };
}

export function composeCustomer(
  customer: SourceCustomer,
  terms: SourceTermsOfPayment[],
  s: PaymentSettings & { customers: { businessClass?: string; personClass?: string }; datamapper?: Datamapper },
): Composed<TargetCustomer> & { unmappedTerm?: string } {
  const pay = mapPaymentTerms(customer.TermsOfPaymentId, terms, s);
  const base = defaultCustomer(customer, { ...s.customers, creditTermsId: pay.creditTermsId });
  const mapped = applyDatamapper(s.datamapper, 'customers', customer);
  return { payload: overlay(base, mapped.payload), errors: mapped.errors, ...(pay.unmapped ? { unmappedTerm: pay.unmapped } : {}) };
}

/**
 * What the datamapper of an order reads: the order with only its product rows (text rows carry no
 * product, so order line i is product row i), each with its SKU, and its customer as `Customer`.
 */
export function orderSource(order: SourceOrder, customer: SourceCustomer | undefined, articleNumbers: Map<string, string> = new Map()): Record<string, unknown> {
  const Rows = productRows(order).map((r) => ({ ...r, ArticleNumber: r.ArticleNumber ?? (r.ArticleId ? articleNumbers.get(r.ArticleId) : undefined) ?? null }));
  return { ...order, Rows, Customer: customer ?? null, CustomerName: (order.CustomerName as string | undefined) ?? customer?.Name };
}

/** The order's own payload (from planOrder) with the datamapper over it; customer and reference stay, a missing branch is filled in. */
export function composeOrder(
  plan: Extract<OrderPlan, { action: 'create' }>,
  order: SourceOrder,
  customer: SourceCustomer | undefined,
  s: { datamapper?: Datamapper },
  articleNumbers: Map<string, string> = new Map(),
): Composed<TargetSalesOrder> {
  const mapped = applyDatamapper(s.datamapper, 'orders', orderSource(order, customer, articleNumbers));
  const payload = overlay(plan.payload, mapped.payload);
  return {
    payload: { ...payload, branchId: payload.branchId || plan.payload.branchId, customerRefNo: plan.reference, customer: plan.payload.customer },
    errors: mapped.errors,
  };
}

/**
 * The exact Visma.net payload of one source record: the seed's default mapping for the flow, with
 * the user's datamapper output laid over it. Used by the push and by the datamapper preview, so
 * the preview shows what the push would send.
 */
import { applyDatamapper, type Datamapper } from '../pending';
import { defaultCustomer, mapPaymentTerms } from './customers';
import type { OrderPlan } from './orders';
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

export function composeProduct(article: SourceArticle, s: { products: { priceInclVat: boolean }; datamapper?: Datamapper }): Composed<TargetInventory> {
  const base = defaultInventory(article, s.products);
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

/** The order's own payload (from planOrder) with the datamapper over it; the reference and customer stay. */
export function composeOrder(plan: Extract<OrderPlan, { action: 'create' }>, order: SourceOrder, customer: SourceCustomer | undefined, s: { datamapper?: Datamapper }): Composed<TargetSalesOrder> {
  const mapped = applyDatamapper(s.datamapper, 'orders', { ...order, Customer: customer ?? null });
  const payload = overlay(plan.payload, mapped.payload);
  return { payload: { ...payload, customerRefNo: plan.reference, customer: plan.payload.customer }, errors: mapped.errors };
}

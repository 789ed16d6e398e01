/**
 * Settings of koppeling type "eaccounting-vismanet" (seed 004, APIcenter's eAccounting ↔ Visma.net
 * page): the three flows, each switchable, the products "update checkbox", the order statuses to
 * send, what is filled in when an order lacks it (branch, order type, warehouse), the optional
 * default debtor, the payment terms and methods mapping of the seed's "Instellingen", the
 * datamapper per flow and how long the activity log is kept. Credentials are the systems' own:
 * eAccounting through an OAuth2 connection, Visma.net by client credentials + tenant id.
 * Workflow: workflows/eaccounting-vismanet/ · activities: activities/eaccounting-vismanet/ · logic: ./domain/
 */
import { z } from 'zod';
import { datamapperSchema } from './domain/datamapper';

export const EACCOUNTING_VISMANET = 'eaccounting-vismanet';

/** eAccounting order statuses (contract §2.5): 1 Draft, 2 Ongoing, 3 Shipped, 4 Invoiced. */
export const ORDER_STATUSES = { 1: 'Concept', 2: 'Lopend', 3: 'Verzonden', 4: 'Gefactureerd' } as const;

const code = z.string().trim().min(1).max(30);

export const eaccountingVismanetSettings = z
  .object({
    /** "Selecteer welke data je wilt synchroniseren": each flow on or off. */
    flows: z
      .object({
        products: z.boolean().default(true),
        orders: z.boolean().default(true),
        /** Orders create their customers themselves; this flow only keeps customers in step on its own. */
        customers: z.boolean().default(false),
      })
      .strict()
      .default({}),
    products: z
      .object({
        /**
         * The seed's "update checkbox": on, a changed article updates the Visma.net item; off, an
         * existing item is never overwritten (enriched data there stays), only new SKUs are created.
         */
        update: z.boolean().default(true),
        /** Inactive eAccounting articles are left out. */
        activeOnly: z.boolean().default(true),
      })
      .strict()
      .default({}),
    orders: z
      .object({
        /** Which eAccounting statuses are sent; default only invoiced ("alleen de betaalde bestellingen"). */
        statuses: z
          .array(z.number().int().min(1).max(4))
          .min(1, 'kies minstens één orderstatus (1 Concept, 2 Lopend, 3 Verzonden, 4 Gefactureerd)')
          .default([4])
          .transform((xs) => [...new Set(xs)].sort()),
        /** Filled in when the order lacks it ("ontbrekende gegevens (bijvoorbeeld BranchId)"). */
        branch: code.default('1'),
        orderType: code.default('SO'),
        warehouse: code.optional(),
        /** Confirm the order in Visma.net after creating it (status Open instead of Hold). */
        confirm: z.boolean().default(true),
        /** Only orders changed on or after this date (yyyy-MM-dd); empty: all with a selected status. */
        since: z
          .string()
          .regex(/^\d{4}-\d{2}-\d{2}$/, 'gebruik de vorm jjjj-mm-dd')
          .optional(),
      })
      .strict()
      .default({}),
    customers: z
      .object({
        /** Update an existing Visma.net customer (found by e-mail) with the source data. */
        update: z.boolean().default(true),
        /** Visma.net customer class for business and for person debtors (empty: Visma.net's default). */
        businessClass: code.optional(),
        personClass: code.optional(),
      })
      .strict()
      .default({}),
    /** "Default debiteur": orders go to this Visma.net customer number instead of their own customer. */
    defaultDebtor: z
      .object({
        number: code,
        /** always: every order; persons: orders of private persons; noEmail: orders whose customer has no e-mail address. */
        use: z.enum(['always', 'persons', 'noEmail']).default('noEmail'),
      })
      .strict()
      .optional(),
    /**
     * "Betalingsvoorwaarden en -methoden": eAccounting terms of payment (name or id) → Visma.net
     * credit terms id, and → Visma.net payment method id. Unmapped terms: the default, else none
     * (Visma.net then uses the customer class's own).
     */
    paymentTerms: z.record(z.string().trim().min(1), code).default({}),
    defaultPaymentTerm: code.optional(),
    paymentMethods: z.record(z.string().trim().min(1), code).default({}),
    defaultPaymentMethod: code.optional(),
    /** The user's own field mappings per flow, on top of the seed's defaults. */
    datamapper: datamapperSchema.optional(),
    /** How long activity-log entries are kept (the seed: "Deze worden regelmatig verwijderd"). */
    activityRetentionDays: z.number().int().min(1).max(365).default(30),
  })
  .strict()
  .superRefine((s, ctx) => {
    if (!s.flows.products && !s.flows.orders && !s.flows.customers) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['flows'], message: 'zet minstens één flow aan (products, orders of customers)' });
    }
  });

export type EaccountingVismanetSettings = z.infer<typeof eaccountingVismanetSettings>;

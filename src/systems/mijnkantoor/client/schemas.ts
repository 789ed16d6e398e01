/** zod schemas of every Mijn Kantoor payload the client reads (one per payload). */
import { z } from 'zod';

export const customerSchema = z
  .object({
    id: z.string(),
    number: z.union([z.string(), z.number()]).transform(String).nullable().transform((n) => n ?? ''),
    name: z.string(),
    type: z.string(),
    kvk_number: z.string().nullable().optional(),
    email: z.string().nullable().optional(),
  })
  .passthrough();
export type MkCustomer = z.infer<typeof customerSchema>;

export const contactSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    email: z.string().nullable().optional(),
    function: z.string().nullable().optional(),
    number: z.string().nullable().optional(),
    customer_ids: z.array(z.string()).default([]),
  })
  .passthrough();
export type MkContact = z.infer<typeof contactSchema>;

export const directorySchema = z
  .object({ id: z.string(), parent_id: z.string().nullable(), name: z.string(), is_leaf: z.boolean(), customer_id: z.string().nullable().optional() })
  .passthrough();
export type MkDirectory = z.infer<typeof directorySchema>;

export const itemSchema = z
  .object({
    id: z.string(),
    customer_id: z.string(),
    dossier_directory_id: z.string(),
    name: z.string(),
    year: z.number().nullable().optional(),
    period: z.string().nullable().optional(),
    created_at: z.string().optional(),
  })
  .passthrough();
export type MkItem = z.infer<typeof itemSchema>;

export const paginationSchema = z
  .object({ pagination: z.object({ links: z.object({ next: z.string().optional() }).passthrough().default({}) }).passthrough() })
  .passthrough();

export const pageOf = <T extends z.ZodTypeAny>(item: T) => z.object({ data: z.array(item), meta: paginationSchema.optional() });
export const oneOf = <T extends z.ZodTypeAny>(item: T) => z.object({ data: item });
export const listOf = <T extends z.ZodTypeAny>(item: T) => z.object({ data: z.array(item) });

export const errorSchema = z
  .object({ error: z.object({ code: z.string().optional(), message: z.string().optional(), errors: z.record(z.array(z.string())).optional() }).passthrough() })
  .passthrough();

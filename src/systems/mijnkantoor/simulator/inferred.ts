/**
 * INFERRED — every rule of the Mijn Kantoor simulator that the public sources do not settle, in
 * one place (contract market.md §1.2–1.3: the API surface is known only from the import tool's
 * code). Correct them here once the Public API documentation is at hand.
 */

/** INFERRED: the page size when `limit` is absent, and the largest one accepted. */
export const DEFAULT_PAGE_SIZE = 25;
export const MAX_PAGE_SIZE = 100;

/**
 * INFERRED (§1.2 "pagination follows meta.pagination.links.next"): the Laravel/Fractal shape,
 * `meta.pagination {total, count, per_page, current_page, total_pages, links: {next?, previous?}}`,
 * with absolute URLs; the last page has no `next`.
 */
export function paginationMeta(total: number, count: number, perPage: number, page: number, pageUrl: (page: number) => string) {
  const totalPages = Math.max(1, Math.ceil(total / perPage));
  const links: Record<string, string> = {};
  if (page < totalPages) links.next = pageUrl(page + 1);
  if (page > 1) links.previous = pageUrl(page - 1);
  return { pagination: { total, count, per_page: perPage, current_page: page, total_pages: totalPages, links } };
}

/** INFERRED: an error body is `{ error: { code, message, errors? } }` (the import tool only reads the status). */
export function errorBody(code: string, message: string, errors?: Record<string, string[]>) {
  return { error: { code, message, ...(errors ? { errors } : {}) } };
}

/** INFERRED: a validation error (duplicate number, non-leaf directory, missing field) is HTTP 422. */
export const VALIDATION_STATUS = 422;

/** INFERRED: the wording of the leaf rule's refusal (§1.2: "files can only go into leaf directories"). */
export const NOT_LEAF_MESSAGE = (name: string) =>
  `Map "${name}" heeft submappen: bestanden kunnen alleen in een map zonder submappen worden geplaatst.`;

/**
 * INFERRED (§1.3 "Contact: natural person … linked to relaties"): employees of a company are kept as
 * contacts `{ id, name, email?, function, number?, customer_ids[] }` under `/v1/contacts`; the
 * default function is "gevolmachtigde" as the kennisbank says, but Koppelwerk sends "werknemer".
 */
export const DEFAULT_CONTACT_FUNCTION = 'gevolmachtigde';

/** INFERRED: a customer number is compared without leading zeros (the import tool strips them, §1.2). */
export function normalizeNumber(n: string | number | null | undefined): string {
  const s = String(n ?? '').trim();
  const stripped = s.replace(/^0+/, '');
  return stripped === '' && s !== '' ? '0' : stripped;
}

/** INFERRED: the search matches `query` case-insensitively inside the item's name. */
export function matchesQuery(name: string, query: string | undefined): boolean {
  return !query || name.toLowerCase().includes(query.toLowerCase());
}

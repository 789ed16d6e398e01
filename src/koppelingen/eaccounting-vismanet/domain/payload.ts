/**
 * Putting the user's datamapper output over the seed's default payload: every key the datamapper
 * produced (dot paths or nested objects) replaces the default at that place; the rest stays.
 */

const isPlain = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Sets `value` at a dot path ("mainAddress.city") in a copy-on-write way. */
export function setPath(target: Record<string, unknown>, path: string, value: unknown): Record<string, unknown> {
  const [head, ...rest] = path.split('.');
  if (!rest.length) return { ...target, [head]: value };
  const inner = isPlain(target[head]) ? (target[head] as Record<string, unknown>) : {};
  return { ...target, [head]: setPath(inner, rest.join('.'), value) };
}

/**
 * The default payload with the datamapper's fields laid over it: nested objects merge, lists of
 * objects merge element by element (order line i with order line i), values replace.
 */
export function overlay<T extends Record<string, unknown>>(base: T, mapped: Record<string, unknown>): T {
  let out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(mapped)) {
    const cur = out[k];
    if (k.includes('.')) out = setPath(out, k, v);
    else if (isPlain(v) && isPlain(cur)) out[k] = overlay(cur, v);
    else if (Array.isArray(v) && Array.isArray(cur)) {
      out[k] = v.map((el, i) => (isPlain(el) && isPlain(cur[i]) ? overlay(cur[i] as Record<string, unknown>, el) : el));
    } else out[k] = v;
  }
  return out as T;
}

/** Drops undefined, null and empty strings, so a payload only carries what the source has. */
export function compact<T extends Record<string, unknown>>(obj: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) {
    if (v === undefined || v === null || v === '') continue;
    if (isPlain(v)) {
      const inner = compact(v);
      if (Object.keys(inner).length) out[k] = inner;
    } else out[k] = v;
  }
  return out as T;
}

export const trimTo = (s: string | null | undefined, max: number): string | undefined => {
  const t = (s ?? '').trim();
  return t ? t.slice(0, max) : undefined;
};

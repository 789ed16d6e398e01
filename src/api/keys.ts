/**
 * Object keys a client chooses. Keys of stored objects (settings, mapping, credentials per system)
 * become MongoDB field names, and MongoDB/FerretDB refuse ".", "$", NUL and empty names: without
 * this check such a key surfaced as a 500 from the driver. `__proto__`, `constructor` and
 * `prototype` are refused everywhere, so no body can reach an `obj[key]` lookup that walks the
 * prototype chain.
 */

export interface KeyIssue {
  field: string;
  reason: string;
}

const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const MAX_DEPTH = 32;

/** Why a key cannot be used, or undefined when it can. */
export function keyProblem(key: string, mongo: boolean): string | undefined {
  if (PROTOTYPE_KEYS.has(key)) return `key "${key}" is not allowed`;
  if (!mongo) return undefined;
  if (key === '') return 'empty keys are not allowed';
  if (key.includes('\0')) return `key ${JSON.stringify(key)} contains a NUL character`;
  if (key.includes('.')) return `key ${JSON.stringify(key)} contains "." (not allowed in stored field names)`;
  if (key.includes('$')) return `key ${JSON.stringify(key)} contains "$" (not allowed in stored field names)`;
  return undefined;
}

/**
 * Every bad key in a parsed JSON value, with the path of the object that holds it (the key itself
 * may contain dots, so it is named in the reason, not in the field). Also refuses nesting deeper
 * than MAX_DEPTH, which no body of ours needs.
 */
export function keyIssues(value: unknown, opts: { mongo: boolean; prefix?: string }): KeyIssue[] {
  const issues: KeyIssue[] = [];
  const walk = (v: unknown, path: string[], depth: number) => {
    if (v === null || typeof v !== 'object') return;
    const field = path.join('.') || '(body)';
    if (depth > MAX_DEPTH) {
      issues.push({ field, reason: `nested deeper than ${MAX_DEPTH} levels` });
      return;
    }
    if (Array.isArray(v)) {
      v.forEach((item, i) => walk(item, [...path, String(i)], depth + 1));
      return;
    }
    for (const key of Object.keys(v)) {
      const problem = keyProblem(key, opts.mongo);
      if (problem) issues.push({ field, reason: problem });
      else walk((v as Record<string, unknown>)[key], [...path, key], depth + 1);
    }
  };
  walk(value, opts.prefix ? [opts.prefix] : [], 0);
  return issues;
}

/** Own-property lookup: a user-chosen key never resolves to Object.prototype's members. */
export function ownValue<T>(obj: Record<string, T> | undefined, key: string): T | undefined {
  return obj && Object.hasOwn(obj, key) ? obj[key] : undefined;
}

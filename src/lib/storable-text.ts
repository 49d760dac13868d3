/** NUL or a lone UTF-16 surrogate: Postgres rejects both in text and jsonb, which would surface as a 500. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export function isStorableText(value: string): boolean {
  return !value.includes('\u0000') && !LONE_SURROGATE.test(value);
}

interface Visit {
  value: unknown;
  key: string | number | null;
  parent: Visit | null;
}

function pathOf(visit: Visit): (string | number)[] {
  const path: (string | number)[] = [];
  for (let at: Visit | null = visit; at && at.key !== null; at = at.parent) path.unshift(at.key);
  return path;
}

/**
 * The path of the first string (value or key) in a JSON value that Postgres cannot store, or null.
 * Iterative and linear (paths are built only for the culprit), so hostile nesting costs nothing extra.
 */
export function findUnstorableText(value: unknown): (string | number)[] | null {
  const pending: Visit[] = [{ value, key: null, parent: null }];
  for (let next = pending.pop(); next; next = pending.pop()) {
    if (typeof next.value === 'string') {
      if (!isStorableText(next.value)) return pathOf(next);
      continue;
    }
    if (typeof next.value !== 'object' || next.value === null) continue;
    if (Array.isArray(next.value)) {
      next.value.forEach((item, index) => pending.push({ value: item, key: index, parent: next }));
      continue;
    }
    for (const [key, child] of Object.entries(next.value)) {
      if (!isStorableText(key)) return [...pathOf(next), key];
      pending.push({ value: child, key, parent: next });
    }
  }
  return null;
}

import { isStorableText } from './storable-text';

/** NUL, or a UTF-16 surrogate without its other half. */
// eslint-disable-next-line no-control-regex -- NUL is exactly what PostgreSQL refuses
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** The text with every NUL and lone surrogate (which PostgreSQL rejects) replaced by U+FFFD. */
export function toStorableText(value: string): string {
  return isStorableText(value) ? value : value.replace(UNSTORABLE, '\ufffd');
}

const isPlainObject = (value: object): value is Record<string, unknown> => {
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
};

/** Like findUnstorableText, without building a path (hostile nesting makes paths costly). */
function hasUnstorableText(value: unknown): boolean {
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const next = pending.pop();
    if (typeof next === 'string') {
      if (!isStorableText(next)) return true;
    } else if (Array.isArray(next)) {
      for (const item of next) pending.push(item);
    } else if (typeof next === 'object' && next !== null) {
      for (const [key, item] of Object.entries(next)) {
        if (!isStorableText(key)) return true;
        pending.push(item);
      }
    }
  }
  return false;
}

/**
 * A JSON value PostgreSQL can store: every string (value or key) passed through toStorableText.
 * Returned as it is when nothing needs replacing; otherwise copied, never changed in place. Iterative,
 * so hostile nesting (a 64 KB webhook answer) cannot exhaust the stack. Values other than plain
 * objects and arrays (a Date) are kept as they are.
 */
export function toStorableJson(value: unknown): unknown {
  if (!hasUnstorableText(value)) return value;
  const root: { value: unknown } = { value };
  const pending: { holder: Record<string | number, unknown>; key: string | number }[] = [
    { holder: root, key: 'value' },
  ];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const { holder, key } = next;
    const current = holder[key];
    if (typeof current === 'string') {
      holder[key] = toStorableText(current);
    } else if (Array.isArray(current)) {
      const copy: unknown[] = [...current];
      holder[key] = copy;
      copy.forEach((_item, index) => pending.push({ holder: copy as unknown as Record<number, unknown>, key: index }));
    } else if (typeof current === 'object' && current !== null && isPlainObject(current)) {
      // fromEntries defines own properties, so a "__proto__" key stays a key.
      const copy = Object.fromEntries(
        Object.entries(current).map(([name, item]) => [toStorableText(name), item]),
      ) as Record<string, unknown>;
      holder[key] = copy;
      for (const name of Object.keys(copy)) pending.push({ holder: copy, key: name });
    }
  }
  return root.value;
}

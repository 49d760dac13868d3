/** A JSON-like value with `fn` applied to every string inside it, however deep; keys stay as they are. */
export function mapStrings(value: unknown, fn: (text: string) => string): unknown {
  if (typeof value === 'string') return fn(value);
  if (Array.isArray(value)) return value.map((item) => mapStrings(item, fn));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, mapStrings(item, fn)]));
  }
  return value;
}

/** Renders every string inside a JSON body as a template (webhook bodies). */
export function renderDeep(value: unknown, render: (template: string) => string): unknown {
  return mapStrings(value, render);
}

/** One key/value row of an object edited as rows (contact fields to set, webhook headers). */
export interface KeyValueRow {
  key: string;
  value: unknown;
}

/** An object's entries as rows, in their order; anything but a plain object gives none. */
export function rowsOf(value: unknown): KeyValueRow[] {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return [];
  return Object.entries(value as Record<string, unknown>).map(([key, entry]) => ({ key, value: entry }));
}

/**
 * The rows back as an object: rows without a key (trimmed) are left out, a repeated key keeps its
 * last value; no keyed row at all gives `undefined` (the field leaves the definition).
 */
export function recordOf(rows: readonly KeyValueRow[]): Record<string, unknown> | undefined {
  const keyed = rows.filter((row) => row.key.trim() !== '');
  if (keyed.length === 0) return undefined;
  return Object.fromEntries(keyed.map((row) => [row.key.trim(), row.value]));
}

/** What `GET /api/v1/contact-fields` answers. */
export interface ContactFields {
  builtIn: { name: string; label: string; type: string; settable: boolean }[];
  custom: { name: string }[];
}

/** Fields an Update contact step may set: the settable built-in ones, then `customFields.<name>`. */
export function settableFieldNames(fields: ContactFields | null): string[] {
  if (!fields) return [];
  return [
    ...fields.builtIn.filter((field) => field.settable).map((field) => field.name),
    ...fields.custom.map((field) => `customFields.${field.name}`),
  ];
}

/** Contact fields a condition may test, as run-context paths (`contact.email`, `contact.customFields.plan`). */
export function conditionFieldNames(fields: ContactFields | null): string[] {
  if (!fields) return [];
  return [
    ...fields.builtIn.map((field) => `contact.${field.name}`),
    ...fields.custom.map((field) => `contact.customFields.${field.name}`),
  ];
}

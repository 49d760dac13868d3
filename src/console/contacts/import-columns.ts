import { CUSTOM_PREFIX, FIELD_LABELS, IMPORT_FIELDS, resolveColumns } from '../../contacts/import/column-mapping';
import type { ColumnMapping } from '../../contacts/import/import-schema';
import { customFieldNameSchema } from '../../contacts/contact-schema';
import { ValidationError } from '../../lib/errors';

export interface ColumnChoice {
  index: number;
  name: string;
  samples: string[];
  options: { value: string; label: string; selected: boolean }[];
}

/** The custom field a column would fill by its own name, when that name can be one. */
function customFieldOf(column: string): string | null {
  const name = column.trim().slice(0, 100);
  return customFieldNameSchema.safeParse(name).success && name !== '' ? `${CUSTOM_PREFIX}${name}` : null;
}

/**
 * The confirm page's choice for each column: "Don't import", each built-in field, and a custom
 * field named after the column; the one the mapping (or the header itself) gives is selected.
 * A mapping that does not resolve (the marketer's choice, refused) is shown as chosen.
 */
export function columnChoices(columns: string[], mapping: ColumnMapping, samples: string[][]): ColumnChoice[] {
  let fields: (string | null)[];
  try {
    fields = resolveColumns(columns, mapping);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    fields = columns.map((column) => (Object.hasOwn(mapping, column) ? (mapping[column] ?? null) : null));
  }
  return columns.map((name, index) => {
    const current = fields[index] ?? '';
    const custom = customFieldOf(name);
    const values: { value: string; label: string }[] = [
      { value: '', label: "Don't import" },
      ...IMPORT_FIELDS.map((field) => ({ value: field, label: FIELD_LABELS[field] })),
    ];
    if (custom) values.push({ value: custom, label: `Custom field "${custom.slice(CUSTOM_PREFIX.length)}"` });
    if (current !== '' && current !== custom && !values.some((option) => option.value === current))
      values.push({
        value: current,
        label: current.startsWith(CUSTOM_PREFIX) ? `Custom field "${current.slice(CUSTOM_PREFIX.length)}"` : current,
      });
    return {
      index,
      name,
      samples: samples
        .map((row) => (row[index] ?? '').trim())
        .filter(Boolean)
        .map((value) => (value.length > 40 ? `${value.slice(0, 39)}…` : value)),
      options: values.map((option) => ({ ...option, selected: option.value === current })),
    };
  });
}

/** The mapping the confirm form's `column-<i>` selects give: every named column, '' meaning left out (checked by confirmImport). */
export function mappingFromForm(columns: string[], value: (name: string) => string): ColumnMapping {
  const mapping: ColumnMapping = {};
  columns.forEach((column, index) => {
    const chosen = value(`column-${index}`);
    if (column === '') return;
    mapping[column] = chosen === '' ? null : chosen;
  });
  return mapping;
}

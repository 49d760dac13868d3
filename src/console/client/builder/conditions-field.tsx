import { CONDITION_OPS, UNARY_OPS, type ConditionOp } from '../../../definition/steps/condition-schema';

interface ConditionRow {
  field?: string;
  op?: string;
  value?: unknown;
}

const OP_LABELS: Record<ConditionOp, string> = {
  equals: 'equals',
  not_equals: 'does not equal',
  contains: 'contains',
  not_contains: 'does not contain',
  exists: 'is set',
  not_exists: 'is not set',
  gt: 'is greater than',
  lt: 'is less than',
};

/** Fields people branch on most; any dot path of the run context may be typed. */
const FIELD_SUGGESTIONS = [
  'contact.tags',
  'contact.email',
  'contact.phone',
  'contact.firstName',
  'contact.customFields.',
  'trigger.data.',
];

/** An if/else's conditions as rows of field / operator / value. */
export function ConditionsField(props: {
  label: string;
  value: unknown;
  onChange(value: ConditionRow[]): void;
  /** The account's contact fields as paths, added to the common ones. */
  fieldSuggestions?: readonly string[];
}) {
  const suggestions = [...new Set([...FIELD_SUGGESTIONS, ...(props.fieldSuggestions ?? [])])];
  const rows: ConditionRow[] = Array.isArray(props.value) ? (props.value as ConditionRow[]) : [];
  const update = (index: number, change: Partial<ConditionRow>) =>
    props.onChange(rows.map((row, at) => (at === index ? withoutEmptyValue({ ...row, ...change }) : row)));
  return (
    <fieldset className="field conditions">
      <legend>{props.label}</legend>
      <datalist id="condition-fields">
        {suggestions.map((field) => (
          <option key={field} value={field} />
        ))}
      </datalist>
      {rows.map((row, index) => (
        <div className="condition-row" key={index}>
          <input
            type="text"
            list="condition-fields"
            aria-label={`Condition ${index + 1}: field`}
            value={row.field ?? ''}
            onChange={(event) => update(index, { field: event.target.value })}
          />
          <select
            aria-label={`Condition ${index + 1}: operator`}
            value={row.op ?? 'equals'}
            onChange={(event) => update(index, { op: event.target.value })}
          >
            {CONDITION_OPS.map((op) => (
              <option key={op} value={op}>
                {OP_LABELS[op]}
              </option>
            ))}
          </select>
          {!UNARY_OPS.includes(row.op as ConditionOp) && (
            <input
              type="text"
              aria-label={`Condition ${index + 1}: value`}
              value={row.value === undefined ? '' : String(row.value)}
              onChange={(event) => update(index, { value: event.target.value })}
            />
          )}
          <button
            type="button"
            className="secondary"
            aria-label={`Remove condition ${index + 1}`}
            onClick={() => props.onChange(rows.filter((_row, at) => at !== index))}
          >
            ×
          </button>
        </div>
      ))}
      <button
        type="button"
        className="secondary"
        onClick={() => props.onChange([...rows, { field: 'contact.tags', op: 'contains', value: '' }])}
      >
        Add condition
      </button>
    </fieldset>
  );
}

function withoutEmptyValue(row: ConditionRow): ConditionRow {
  if (UNARY_OPS.includes(row.op as ConditionOp)) {
    const { value: _value, ...rest } = row;
    return rest;
  }
  return row;
}

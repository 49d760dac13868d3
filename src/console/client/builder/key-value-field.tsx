import { useId, useState } from 'react';
import { recordOf, rowsOf, type KeyValueRow } from './key-value-rows';

export interface KeyValueFieldProps {
  label: string;
  help?: string;
  value: unknown;
  /** Names of a row: "Field", "Header". */
  keyLabel: string;
  suggestions?: readonly string[];
  onChange(value: Record<string, unknown> | undefined): void;
}

/**
 * An object edited as rows of key and value, with "Add" and "Remove" buttons; a key may be picked
 * from the suggestions or typed. Rows without a key stay on screen but out of the definition.
 */
export function KeyValueField(props: KeyValueFieldProps) {
  const [rows, setRows] = useState<KeyValueRow[]>(() => rowsOf(props.value));
  const listId = useId();
  const helpId = useId();
  const noun = props.keyLabel.toLowerCase();
  const change = (next: KeyValueRow[]) => {
    setRows(next);
    props.onChange(recordOf(next));
  };
  const update = (index: number, patch: Partial<KeyValueRow>) =>
    change(rows.map((row, at) => (at === index ? { ...row, ...patch } : row)));
  return (
    <fieldset className="field key-values" aria-describedby={props.help ? helpId : undefined}>
      <legend>{props.label}</legend>
      {props.help && (
        <p className="help" id={helpId}>
          {props.help}
        </p>
      )}
      {props.suggestions?.length ? (
        <datalist id={listId}>
          {props.suggestions.map((option) => (
            <option key={option} value={option} />
          ))}
        </datalist>
      ) : null}
      {rows.map((row, index) => (
        <div className="key-value-row" key={index}>
          <input
            type="text"
            list={props.suggestions?.length ? listId : undefined}
            autoComplete="off"
            aria-label={`${props.keyLabel} ${index + 1}: name`}
            value={row.key}
            onChange={(event) => update(index, { key: event.target.value })}
          />
          <input
            type="text"
            aria-label={`${props.keyLabel} ${index + 1}: value`}
            value={row.value === undefined || row.value === null ? '' : String(row.value)}
            onChange={(event) => update(index, { value: event.target.value })}
          />
          <button
            type="button"
            className="secondary"
            aria-label={`Remove ${noun} ${index + 1}`}
            onClick={() => change(rows.filter((_row, at) => at !== index))}
          >
            Remove
          </button>
        </div>
      ))}
      <button type="button" className="secondary" onClick={() => setRows([...rows, { key: '', value: '' }])}>
        Add {noun}
      </button>
    </fieldset>
  );
}

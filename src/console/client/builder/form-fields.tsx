import { useId, useState, type ReactNode } from 'react';

export interface FieldProps<T = unknown> {
  label: string;
  help?: string;
  required?: boolean;
  value: T | undefined;
  /** `undefined` leaves the field out of the definition. */
  onChange(value: T | undefined): void;
}

/** A label, the control, the help text under it; the control gets the id. */
export function Field(props: {
  label: string;
  help?: string;
  required?: boolean;
  children: (id: string, helpId?: string) => ReactNode;
}) {
  const id = useId();
  const helpId = props.help ? `${id}-help` : undefined;
  return (
    <div className="field">
      <label htmlFor={id}>
        {props.label}
        {props.required ? (
          <span className="required" aria-hidden="true">
            {' '}
            *
          </span>
        ) : null}
      </label>
      {props.children(id, helpId)}
      {props.help && (
        <p className="help" id={helpId}>
          {props.help}
        </p>
      )}
    </div>
  );
}

export function TextField(props: FieldProps<string> & { multiline?: boolean; suggestions?: readonly string[] }) {
  const listId = useId();
  return (
    <Field label={props.label} help={props.help} required={props.required}>
      {(id, helpId) =>
        props.multiline ? (
          <textarea
            id={id}
            aria-describedby={helpId}
            value={props.value ?? ''}
            rows={4}
            onChange={(event) => props.onChange(event.target.value === '' ? undefined : event.target.value)}
          />
        ) : (
          <>
            <input
              id={id}
              type="text"
              aria-describedby={helpId}
              aria-required={props.required}
              value={props.value ?? ''}
              list={props.suggestions?.length ? listId : undefined}
              autoComplete="off"
              onChange={(event) => props.onChange(event.target.value === '' ? undefined : event.target.value)}
            />
            {props.suggestions?.length ? (
              <datalist id={listId}>
                {props.suggestions.map((option) => (
                  <option key={option} value={option} />
                ))}
              </datalist>
            ) : null}
          </>
        )
      }
    </Field>
  );
}

export interface Choice {
  value: string;
  label: string;
}

export function SelectField(props: FieldProps<string> & { choices: readonly Choice[]; emptyLabel?: string }) {
  const known = props.value === undefined || props.choices.some((choice) => choice.value === props.value);
  return (
    <Field label={props.label} help={props.help} required={props.required}>
      {(id, helpId) => (
        <select
          id={id}
          aria-describedby={helpId}
          aria-required={props.required}
          value={props.value ?? ''}
          onChange={(event) => props.onChange(event.target.value === '' ? undefined : event.target.value)}
        >
          {props.emptyLabel !== undefined && <option value="">{props.emptyLabel}</option>}
          {!known && <option value={props.value}>{props.value} (not found)</option>}
          {props.choices.map((choice) => (
            <option key={choice.value} value={choice.value}>
              {choice.label}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

export function NumberField(props: FieldProps<number> & { min?: number; max?: number }) {
  return (
    <Field label={props.label} help={props.help} required={props.required}>
      {(id, helpId) => (
        <input
          id={id}
          type="number"
          aria-describedby={helpId}
          min={props.min}
          max={props.max}
          value={props.value ?? ''}
          onChange={(event) => props.onChange(event.target.value === '' ? undefined : Number(event.target.value))}
        />
      )}
    </Field>
  );
}

export function CheckboxField(props: FieldProps<boolean>) {
  const id = useId();
  return (
    <div className="field field-check">
      <input
        id={id}
        type="checkbox"
        checked={props.value === true}
        onChange={(event) => props.onChange(event.target.checked)}
      />
      <label htmlFor={id}>{props.label}</label>
      {props.help && <p className="help">{props.help}</p>}
    </div>
  );
}

/** Any JSON (headers, a webhook body, contact fields): edited as text, kept only when it parses. */
export function JsonField(props: FieldProps<unknown>) {
  const [text, setText] = useState(() => (props.value === undefined ? '' : JSON.stringify(props.value, null, 2)));
  const [error, setError] = useState<string | null>(null);
  return (
    <Field label={props.label} help={props.help ? `${props.help} (JSON)` : 'JSON'} required={props.required}>
      {(id, helpId) => (
        <>
          <textarea
            id={id}
            className="code"
            rows={5}
            aria-describedby={helpId}
            aria-invalid={error !== null}
            value={text}
            onChange={(event) => {
              setText(event.target.value);
              if (event.target.value.trim() === '') return (setError(null), props.onChange(undefined));
              try {
                props.onChange(JSON.parse(event.target.value));
                setError(null);
              } catch {
                setError('Not valid JSON yet; the last valid value is kept.');
              }
            }}
          />
          {error && <p className="field-error">{error}</p>}
        </>
      )}
    </Field>
  );
}

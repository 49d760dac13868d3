import { useId } from 'react';
import { parseDuration } from '../../../lib/duration';
import type { FieldProps } from './form-fields';

const UNITS = [
  { suffix: 'm', label: 'minutes', ms: 60_000 },
  { suffix: 'h', label: 'hours', ms: 3_600_000 },
  { suffix: 'd', label: 'days', ms: 86_400_000 },
  { suffix: 'w', label: 'weeks', ms: 604_800_000 },
] as const;

/** A written duration as amount + unit: `2d` → 2 days; `90m` stays 90 minutes; other forms in the largest whole unit. */
function split(value: unknown): { amount: string; suffix: string } {
  if (typeof value === 'string') {
    const short = /^(\d+)(m|h|d|w)$/.exec(value.trim());
    if (short) return { amount: short[1]!, suffix: short[2]! };
  }
  const ms = typeof value === 'number' ? value : typeof value === 'string' ? parseDuration(value) : null;
  if (ms === null || ms <= 0) return { amount: '', suffix: 'd' };
  const unit = [...UNITS].reverse().find((u) => ms % u.ms === 0) ?? UNITS[0];
  return { amount: String(Math.max(1, Math.round(ms / unit.ms))), suffix: unit.suffix };
}

/** A duration as a number and a unit, written back as `2d`, `90m`. */
export function DurationField(props: FieldProps<unknown>) {
  const id = useId();
  const { amount, suffix } = split(props.value);
  const write = (nextAmount: string, nextSuffix: string) =>
    props.onChange(/^\d+$/.test(nextAmount) ? `${Number(nextAmount)}${nextSuffix}` : undefined);
  return (
    <fieldset className="field field-duration">
      <legend>
        {props.label}
        {props.required ? (
          <span className="required" aria-hidden="true">
            {' '}
            *
          </span>
        ) : null}
      </legend>
      <div className="row">
        <input
          id={`${id}-amount`}
          type="number"
          min={0}
          aria-label={`${props.label}: amount`}
          value={amount}
          onChange={(event) => write(event.target.value, suffix)}
        />
        <select
          aria-label={`${props.label}: unit`}
          value={suffix}
          onChange={(event) => write(amount, event.target.value)}
        >
          {UNITS.map((unit) => (
            <option key={unit.suffix} value={unit.suffix}>
              {unit.label}
            </option>
          ))}
        </select>
      </div>
      {props.help && <p className="help">{props.help}</p>}
    </fieldset>
  );
}

import { useMemo } from 'react';
import { z } from 'zod';
import type { StepTypeDefinition } from '../../../definition/step-type';
import { ConditionsField } from './conditions-field';
import { stepTitle, TARGET_KEYS, type RawStep } from './draft';
import { DurationField } from './duration-field';
import { CheckboxField, JsonField, NumberField, SelectField, TextField, type Choice } from './form-fields';
import { KeyValueField } from './key-value-field';
import { conditionFieldNames, settableFieldNames } from './key-value-rows';
import { usePickers } from './pickers';

/** One property of a step type's JSON Schema, as z.toJSONSchema writes it. */
interface JsonProp {
  type?: string | string[];
  title?: string;
  description?: string;
  enum?: string[];
  default?: unknown;
  anyOf?: JsonProp[];
  minimum?: number;
  maximum?: number;
  items?: JsonProp;
}

interface ObjectSchema {
  properties?: Record<string, JsonProp>;
  required?: string[];
}

/** `expiresIn` → "Expires in", for fields the schema gives no title. */
const humanize = (key: string): string => {
  const words = key
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/_/g, ' ')
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
};

const isDuration = (prop: JsonProp): boolean =>
  Array.isArray(prop.anyOf) &&
  prop.anyOf.some((option) => option.type === 'integer') &&
  prop.anyOf.some((option) => option.type === 'string');

/** Events a wait (or a trigger) commonly listens for; any custom event name may be typed. */
export const EVENT_SUGGESTIONS = ['appointment.booked', 'appointment.cancelled', 'link.redeemed', 'link.expired'];

/**
 * The steps an exit may lead to: those after `step` in the list (a jump back would loop, which the
 * checks refuse), plus the one it leads to now if that is an earlier one, so it still shows by name.
 */
export function laterStepChoices(steps: readonly RawStep[], step: RawStep): (current?: string) => Choice[] {
  const index = steps.findIndex((other) => other.id === step.id);
  return (current) =>
    steps
      .filter((other, at) => at > index || (other.id === current && at !== index))
      .map((other) => ({ value: other.id, label: stepTitle(other) }));
}

export interface SchemaFormProps {
  stepType: StepTypeDefinition;
  step: RawStep;
  steps: readonly RawStep[];
  onChange(key: string, value: unknown): void;
}

/**
 * A step's settings, generated from the zod schema that validates them (via JSON Schema): labels and
 * help from the schema's titles and descriptions, defaults, enums as selects, durations as amount +
 * unit; fields that name something (a calendar, a template, a tag, another step) get a picker.
 */
export function SchemaForm({ stepType, step, steps, onChange }: SchemaFormProps) {
  const pickers = usePickers();
  const schema = useMemo(
    () => z.toJSONSchema(stepType.configSchema, { io: 'input', unrepresentable: 'any' }) as ObjectSchema,
    [stepType],
  );
  const required = new Set(schema.required ?? []);
  const exitChoices = laterStepChoices(steps, step);

  return (
    <>
      {Object.entries(schema.properties ?? {}).map(([key, prop]) => {
        const common = {
          label: prop.title ?? humanize(key),
          help: prop.description,
          required: required.has(key),
          onChange: (value: unknown) => onChange(key, value),
        };
        const value = step[key];
        const text = typeof value === 'string' ? value : undefined;
        if ((TARGET_KEYS[step.type] ?? []).includes(key))
          return (
            <SelectField
              key={key}
              {...common}
              value={text}
              choices={exitChoices(text)}
              emptyLabel={required.has(key) ? 'Choose a step' : 'The next step'}
            />
          );
        if (key === 'calendar' && pickers.calendars)
          return (
            <SelectField
              key={key}
              {...common}
              value={text}
              emptyLabel={required.has(key) ? 'Choose a calendar' : 'Any calendar'}
              choices={pickers.calendars.map((calendar) => ({ value: calendar.slug, label: calendar.name }))}
            />
          );
        if (key === 'template' && pickers.templates) {
          const kind = step.type === 'send_sms' ? 'sms' : 'email';
          const names = pickers.templates
            .filter((template) => template.kind === kind)
            .map((template) => ({ value: template.name, label: template.name }));
          return <SelectField key={key} {...common} value={text} choices={names} emptyLabel="No template" />;
        }
        if (key === 'tag') return <TextField key={key} {...common} value={text} suggestions={pickers.tags ?? []} />;
        if (key === 'event') return <TextField key={key} {...common} value={text} suggestions={EVENT_SUGGESTIONS} />;
        if (isDuration(prop)) return <DurationField key={key} {...common} value={value} />;
        if (key === 'conditions')
          return (
            <ConditionsField
              key={key}
              label={common.label}
              value={value}
              onChange={common.onChange}
              fieldSuggestions={conditionFieldNames(pickers.contactFields)}
            />
          );
        if (step.type === 'update_contact' && key === 'set')
          return (
            <KeyValueField
              key={`${key}-${step.id}`}
              {...common}
              value={value}
              keyLabel="Field"
              suggestions={settableFieldNames(pickers.contactFields)}
            />
          );
        if (step.type === 'webhook' && key === 'headers')
          return <KeyValueField key={`${key}-${step.id}`} {...common} value={value} keyLabel="Header" />;
        if (prop.enum)
          return (
            <SelectField
              key={key}
              {...common}
              value={text ?? (typeof prop.default === 'string' ? prop.default : undefined)}
              choices={prop.enum.map((option) => ({ value: option, label: option }))}
            />
          );
        if (prop.type === 'boolean')
          return (
            <CheckboxField key={key} {...common} value={typeof value === 'boolean' ? value : prop.default === true} />
          );
        if (prop.type === 'integer' || prop.type === 'number')
          return (
            <NumberField
              key={key}
              {...common}
              value={typeof value === 'number' ? value : undefined}
              min={prop.minimum}
              max={prop.maximum}
            />
          );
        if (prop.type === 'string')
          return (
            <TextField
              key={key}
              {...common}
              value={text}
              multiline={key === 'html' || key === 'text' || key === 'body'}
            />
          );
        return <JsonField key={`${key}-${step.id}`} {...common} value={value} />;
      })}
    </>
  );
}

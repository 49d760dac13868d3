import { useEffect, useRef } from 'react';
import { stepTypeOf } from '../../../definition/step-types';
import { stepLabelOf, stepTitle, type RawStep } from './draft';
import { SelectField, TextField } from './form-fields';
import { usesDefaultNext } from './graph-model';
import { laterStepChoices, SchemaForm } from './schema-form';
import type { PlacedIssue } from './validation';

export interface StepPanelProps {
  step: RawStep;
  steps: readonly RawStep[];
  issues: readonly PlacedIssue[];
  /** Why the last Delete was refused, if it was. */
  refusal: string | null;
  /** Move the focus to the form (opened from a card or the palette; not when the problem list jumped to the card). */
  autoFocus: boolean;
  onChange(step: RawStep): void;
  onDelete(): void;
  onClose(): void;
}

/** The form of one step: its name, its settings from the schema, its problems, Delete step. */
export function StepPanel({ step, steps, issues, refusal, autoFocus, onChange, onDelete, onClose }: StepPanelProps) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (autoFocus) heading.current?.focus();
  }, [step.id, autoFocus]);
  const stepType = stepTypeOf(step.type);
  const set = (key: string, value: unknown) => {
    const next: RawStep = { ...step };
    if (value === undefined) delete next[key];
    else next[key] = value;
    onChange(next);
  };
  return (
    <section className="panel-body" aria-labelledby="panel-heading">
      <div className="spread">
        <h2 id="panel-heading" ref={heading} tabIndex={-1}>
          {stepLabelOf(step.type)}
        </h2>
        <button type="button" className="link" onClick={onClose}>
          Close
        </button>
      </div>
      <p className="muted">
        Step id <code>{step.id}</code>
      </p>
      {issues.length > 0 && (
        <ul className="issues">
          {issues.map((issue, index) => (
            <li key={index}>{issue.message}</li>
          ))}
        </ul>
      )}
      <TextField
        label="Step name"
        help="What the canvas and the run history call this step."
        value={step.name}
        onChange={(value) => set('name', value)}
      />
      {stepType ? (
        <SchemaForm stepType={stepType} step={step} steps={steps} onChange={set} />
      ) : (
        <p className="field-error">Unknown step type “{step.type}”: edit it in the Code tab.</p>
      )}
      {usesDefaultNext(step) && step.type !== 'wait' && (
        <NextField step={step} steps={steps} onChange={(value) => set('next', value)} />
      )}
      <div className="panel-actions">
        <button type="button" className="danger" onClick={onDelete}>
          Delete step
        </button>
        {refusal && (
          <p className="field-error" role="alert">
            {refusal}
          </p>
        )}
      </div>
    </section>
  );
}

/**
 * Where the step goes after it has run (its `next`): by default the step below it in the list. Hidden
 * for an End, an If / else and a wait (its two exits say where it goes).
 */
function NextField(props: { step: RawStep; steps: readonly RawStep[]; onChange(value: string | undefined): void }) {
  const { step, steps } = props;
  const following = steps[steps.findIndex((other) => other.id === step.id) + 1];
  return (
    <SelectField
      label="Then go to"
      help="Where the run goes after this step."
      value={step.next}
      emptyLabel={following ? `The step below (${stepTitle(following)})` : 'Nowhere: the run ends'}
      choices={laterStepChoices(steps, step)(step.next)}
      onChange={props.onChange}
    />
  );
}

import { useEffect, useRef } from 'react';
import type { Draft } from './draft';
import { SelectField, TextField } from './form-fields';
import { usePickers } from './pickers';
import { EVENT_SUGGESTIONS } from './schema-form';
import type { PlacedIssue } from './validation';

const TRIGGERS = [
  { value: 'contact.tag_added', label: 'Tag added' },
  { value: 'contact.created', label: 'Contact created' },
  { value: 'appointment.booked', label: 'Appointment booked' },
  { value: 'appointment.cancelled', label: 'Appointment cancelled' },
  { value: 'link.redeemed', label: 'One-time link used' },
  { value: 'link.expired', label: 'One-time link expired' },
  { value: 'event', label: 'Custom event' },
  { value: 'manual', label: 'Enrolled by hand' },
];
const WITH_CALENDAR = ['appointment.booked', 'appointment.cancelled', 'link.redeemed', 'link.expired'];

/** The trigger's own form: its type, then the tag, calendar or event name that type narrows by. */
export function TriggerPanel(props: {
  trigger: Draft['trigger'];
  issues: readonly PlacedIssue[];
  autoFocus: boolean;
  onChange(trigger: Draft['trigger']): void;
  onClose(): void;
}) {
  const { trigger, onChange } = props;
  const pickers = usePickers();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (props.autoFocus) heading.current?.focus();
  }, [props.autoFocus]);
  const text = (key: string) => (typeof trigger[key] === 'string' ? (trigger[key] as string) : undefined);
  const set = (key: string, value: string | undefined) => {
    const next = { ...trigger };
    if (value === undefined) delete next[key];
    else next[key] = value;
    onChange(next);
  };
  return (
    <section className="panel-body" aria-labelledby="panel-heading">
      <div className="spread">
        <h2 id="panel-heading" ref={heading} tabIndex={-1}>
          Trigger
        </h2>
        <button type="button" className="link" onClick={props.onClose}>
          Close
        </button>
      </div>
      {props.issues.length > 0 && (
        <ul className="issues">
          {props.issues.map((issue, index) => (
            <li key={index}>{issue.message}</li>
          ))}
        </ul>
      )}
      <SelectField
        label="Starts when"
        required
        value={trigger.type}
        choices={TRIGGERS}
        onChange={(type) =>
          onChange({ type: type ?? 'manual', ...(type === 'contact.tag_added' ? { tag: text('tag') ?? '' } : {}) })
        }
      />
      {trigger.type === 'contact.tag_added' && (
        <TextField
          label="Tag"
          required
          help="Tags compare without regard to case."
          value={text('tag')}
          suggestions={pickers.tags ?? []}
          onChange={(value) => set('tag', value ?? '')}
        />
      )}
      {WITH_CALENDAR.includes(trigger.type) &&
        (pickers.calendars ? (
          <SelectField
            label="Calendar"
            value={text('calendar')}
            emptyLabel="Any calendar"
            choices={pickers.calendars.map((c) => ({ value: c.slug, label: c.name }))}
            onChange={(value) => set('calendar', value)}
          />
        ) : (
          <TextField
            label="Calendar"
            help="A calendar's slug or id; empty for any calendar."
            value={text('calendar')}
            onChange={(value) => set('calendar', value)}
          />
        ))}
      {trigger.type === 'event' && (
        <TextField
          label="Event name"
          required
          value={text('event')}
          suggestions={EVENT_SUGGESTIONS}
          onChange={(value) => set('event', value ?? '')}
        />
      )}
    </section>
  );
}

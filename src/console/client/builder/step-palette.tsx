import { useEffect, useRef } from 'react';
import { STEP_TYPE_LIST } from '../../../definition/step-types';
import { STEP_ICONS } from './step-summary';

/** The order a marketer looks for them in: messages, timing and logic, the contact, the rest. */
const ORDER = [
  'send_email',
  'send_sms',
  'wait',
  'if_else',
  'add_tag',
  'remove_tag',
  'update_contact',
  'webhook',
  'generate_one_time_link',
  'end',
];
const PALETTE = [...STEP_TYPE_LIST].sort((a, b) => ORDER.indexOf(a.type) - ORDER.indexOf(b.type));

/** The palette of step types by their human names; Escape (or Cancel) closes it. */
export function StepPalette(props: { title: string; onChoose(type: string): void; onClose(): void }) {
  const first = useRef<HTMLButtonElement>(null);
  useEffect(() => first.current?.focus(), []);
  return (
    <div className="palette-backdrop" onClick={props.onClose}>
      <div
        className="palette"
        role="dialog"
        aria-modal="true"
        aria-labelledby="palette-title"
        onClick={(event) => event.stopPropagation()}
        onKeyDown={(event) => {
          if (event.key === 'Escape') props.onClose();
        }}
      >
        <h2 id="palette-title">{props.title}</h2>
        <ul>
          {PALETTE.map((stepType, index) => (
            <li key={stepType.type}>
              <button type="button" ref={index === 0 ? first : undefined} onClick={() => props.onChoose(stepType.type)}>
                <span className="palette-icon" aria-hidden="true">
                  {STEP_ICONS[stepType.type] ?? '•'}
                </span>
                {stepType.label}
              </button>
            </li>
          ))}
        </ul>
        <button type="button" className="secondary" onClick={props.onClose}>
          Cancel
        </button>
      </div>
    </div>
  );
}

import { parseDuration } from '../../../lib/duration';
import type { Draft, RawStep } from './draft';

/** A text glyph per step type, from the common fonts' symbol ranges (no emoji font needed, nothing for the CSP to refuse). */
export const STEP_ICONS: Record<string, string> = {
  send_email: '✉',
  send_sms: '☎',
  wait: '◷',
  if_else: '⋔',
  add_tag: '⚑',
  remove_tag: '⚐',
  update_contact: '☺',
  webhook: '⇄',
  generate_one_time_link: '⚭',
  end: '■',
};

const UNITS: [number, string][] = [
  [604_800_000, 'week'],
  [86_400_000, 'day'],
  [3_600_000, 'hour'],
  [60_000, 'minute'],
  [1000, 'second'],
];

/** "2 days", "90 minutes"; the text as written when it is not a duration. */
export function durationText(value: unknown): string {
  const ms = typeof value === 'number' ? value : typeof value === 'string' ? parseDuration(value) : null;
  if (ms === null || ms === 0) return String(value ?? '');
  const [size, unit] = UNITS.find(([size]) => ms % size === 0) ?? [1, 'millisecond'];
  const count = ms / size;
  return `${count} ${unit}${count === 1 ? '' : 's'}`;
}

const text = (value: unknown, fallback = '…'): string =>
  typeof value === 'string' && value.trim() !== '' ? value : fallback;

function waitSummary(step: RawStep): string {
  const time =
    step.duration !== undefined
      ? `Wait ${durationText(step.duration)}`
      : step.until !== undefined
        ? `Wait until ${text(step.until)}`
        : 'Wait';
  if (typeof step.event !== 'string') return time;
  if (step.event === 'appointment.booked') return `${time} or until booked`;
  return `${time} or until ${step.event}`;
}

/** The trigger in words: "Tag added: lead". */
export function triggerSummary(
  trigger: Draft['trigger'],
  calendarName: (slug: string) => string = (slug) => slug,
): string {
  const calendar =
    typeof trigger.calendar === 'string' && trigger.calendar !== '' ? ` on ${calendarName(trigger.calendar)}` : '';
  switch (trigger.type) {
    case 'contact.tag_added':
      return `Tag added: ${text(trigger.tag)}`;
    case 'contact.created':
      return 'Contact created';
    case 'appointment.booked':
      return `Appointment booked${calendar}`;
    case 'appointment.cancelled':
      return `Appointment cancelled${calendar}`;
    case 'link.redeemed':
      return `One-time link used${calendar}`;
    case 'link.expired':
      return `One-time link expired${calendar}`;
    case 'event':
      return `Event: ${text(trigger.event)}`;
    case 'manual':
      return 'Enrolled by hand';
    default:
      return trigger.type;
  }
}

/** One line under a card's title: what the step does with its settings. */
export function stepSummary(step: RawStep, calendarName: (slug: string) => string = (slug) => slug): string {
  switch (step.type) {
    case 'send_email':
      return step.template !== undefined
        ? `Email: ${text(step.template)}`
        : `Email: ${text(step.subject, 'no subject yet')}`;
    case 'send_sms':
      return step.template !== undefined ? `SMS: ${text(step.template)}` : `SMS: ${text(step.body, 'no text yet')}`;
    case 'wait':
      return waitSummary(step);
    case 'if_else': {
      const count = Array.isArray(step.conditions) ? step.conditions.length : 0;
      return `If ${step.match === 'any' ? 'any' : 'all'} of ${count} condition${count === 1 ? '' : 's'}`;
    }
    case 'add_tag':
      return `Add tag: ${text(step.tag)}`;
    case 'remove_tag':
      return `Remove tag: ${text(step.tag)}`;
    case 'update_contact': {
      const fields = step.set && typeof step.set === 'object' ? Object.keys(step.set) : [];
      return fields.length > 0 ? `Set ${fields.join(', ')}` : 'Set contact fields';
    }
    case 'webhook':
      return `${text(step.method, 'POST')} ${text(step.url)}`;
    case 'generate_one_time_link': {
      const days = durationText(step.expiresIn ?? '7d');
      return `Mint a one-time link to ${typeof step.calendar === 'string' ? calendarName(step.calendar) : '…'}, ${days}`;
    }
    case 'end':
      return 'The run ends here';
    default:
      return step.type;
  }
}

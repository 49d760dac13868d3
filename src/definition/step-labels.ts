/**
 * What people call the parts of a workflow: a step by its name, a step's exits by their meaning
 * ("Booked", "No booking", "Yes"). Pure data and functions: the graph checks word their messages with
 * them, and the browser builder labels its cards and edges with the same words.
 */

/** A step as written (or parsed): only what naming it needs. */
export interface NamedStep {
  id?: string | undefined;
  name?: string | undefined;
}

/** A step's name, else its id, else its place ("step 3", 0-based `index`). */
export function stepLabel(step: NamedStep | undefined, index?: number): string {
  const name = step?.name?.trim();
  if (name) return name;
  if (step?.id) return step.id;
  return index === undefined ? 'a step' : `step ${index + 1}`;
}

/** The plain name of the event a wait may end on: `appointment.booked` → "Booked"; a custom event keeps its name. */
const EVENT_LABELS: Readonly<Record<string, string>> = {
  'appointment.booked': 'Booked',
  'appointment.cancelled': 'Cancelled',
  'link.redeemed': 'Link used',
  'link.expired': 'Link expired',
};

export function eventLabel(event: string | undefined): string {
  if (event === undefined || event === '') return 'Event';
  return EVENT_LABELS[event] ?? `Event '${event}'`;
}

/** What the timeout exit of a wait means: for a wait on a booking, that none came. */
const TIMEOUT_LABELS: Readonly<Record<string, string>> = {
  'appointment.booked': 'No booking',
  'appointment.cancelled': 'Not cancelled',
  'link.redeemed': 'Link not used',
};

export function timeoutLabel(event: string | undefined): string {
  return (event !== undefined && TIMEOUT_LABELS[event]) || 'Time out';
}

/** The exits of an if_else: `then` when the conditions hold, `else` otherwise. */
export const IF_ELSE_EXIT_LABELS: Readonly<Record<'then' | 'else', string>> = { then: 'Yes', else: 'No' };

/** The label of the line from a step to its `next` (or the following step). */
export const NEXT_LABEL = 'Next';

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * The label of one exit of a step: `exitLabel('wait', 'onTimeout', { event: 'appointment.booked' })`
 * is "No booking". `exit` is the target's path inside the step (`onEvent`, `then`, `next`); an exit
 * this file does not know keeps its field name.
 */
export function exitLabel(type: string, exit: string, config: unknown): string {
  const event = isObject(config) && typeof config.event === 'string' ? config.event : undefined;
  if (exit === 'next') return NEXT_LABEL;
  if (type === 'wait' && exit === 'onEvent') return eventLabel(event);
  if (type === 'wait' && exit === 'onTimeout') return timeoutLabel(event);
  if (type === 'if_else' && (exit === 'then' || exit === 'else')) return IF_ELSE_EXIT_LABELS[exit];
  return exit;
}

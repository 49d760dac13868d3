/**
 * The outbox's vocabulary: which event types the system itself writes. Both contacts/ (a caller may
 * not forge them) and triggers/ (which workflows they start) read it.
 */

/** Built-in event types: each is also a trigger type. Anything else is a custom event (`event` trigger). */
export const BUILTIN_EVENT_TYPES = [
  'contact.created',
  'contact.tag_added',
  'appointment.booked',
  'appointment.cancelled',
  'link.redeemed',
  'link.expired',
] as const;

/** Events the engine writes to its own outbox; never a trigger. */
export const INTERNAL_EVENT_PREFIX = 'linkflow.';

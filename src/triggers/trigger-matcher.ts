import type { Trigger } from '../definition/trigger-schema';
import { BUILTIN_EVENT_TYPES } from '../events/event-types';

export interface TriggerEvent {
  type: string;
  data: Record<string, unknown>;
}

export function triggerTypeOf(eventType: string): Trigger['type'] {
  return (BUILTIN_EVENT_TYPES as readonly string[]).includes(eventType) ? (eventType as Trigger['type']) : 'event';
}

/** Does this event start a workflow with this trigger? */
export function triggerMatches(trigger: Trigger, event: TriggerEvent): boolean {
  switch (trigger.type) {
    case 'contact.tag_added':
      return event.type === trigger.type && String(event.data.tag ?? '').toLowerCase() === trigger.tag.toLowerCase();
    case 'appointment.booked':
    case 'appointment.cancelled':
    case 'link.redeemed':
    case 'link.expired':
      return event.type === trigger.type && (!trigger.calendar || calendarMatches(trigger.calendar, event.data));
    case 'event':
      return event.type === trigger.event;
    case 'manual':
      return false;
    default:
      return event.type === trigger.type;
  }
}

function calendarMatches(calendar: string, data: Record<string, unknown>): boolean {
  return calendar === data.calendarId || calendar === data.calendarSlug;
}

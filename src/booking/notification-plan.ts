import type { CalendarNotifications } from './calendar-schema';
import type { AppointmentChange, NotificationAudience } from './notification-context';

/** One email an appointment event asks for. */
export interface PlannedNotification {
  audience: NotificationAudience;
  /** The message's idempotency key with the appointment id: unique per (appointment, kind). */
  kind: string;
  /** The email template of TEMPLATES_DIR. */
  template: string;
}

const EVENT_CHANGES: Record<string, AppointmentChange> = {
  'appointment.booked': 'booked',
  'appointment.rescheduled': 'rescheduled',
  'appointment.cancelled': 'cancelled',
};

/** The change an outbox event type stands for; null for any other event. */
export function changeOfEvent(type: string): AppointmentChange | null {
  return Object.prototype.hasOwnProperty.call(EVENT_CHANGES, type) ? EVENT_CHANGES[type]! : null;
}

export const NOTIFICATION_TEMPLATES: Record<AppointmentChange, Record<NotificationAudience, string>> = {
  booked: { contact: 'appointment-confirmation', owner: 'appointment-owner-booked' },
  rescheduled: { contact: 'appointment-rescheduled', owner: 'appointment-owner-rescheduled' },
  cancelled: { contact: 'appointment-cancelled', owner: 'appointment-owner-cancelled' },
};

/**
 * The kind of a notification, its idempotency key within its appointment. A booking and a
 * cancellation happen once per appointment (the row is inserted once; `booked → cancelled` flips
 * once), so their kinds are fixed. A reschedule can happen any number of times on the same row, so
 * its kinds carry the event's id: each move gets its own pair of emails, each sent once.
 */
export function notificationKind(change: AppointmentChange, audience: NotificationAudience, eventId: string): string {
  const base = audience === 'contact' ? 'confirmation' : 'owner_notice';
  if (change === 'booked') return base;
  if (change === 'cancelled') return `cancelled_${base}`;
  return `rescheduled_${base}:${eventId}`;
}

/**
 * What an event asks for, by the calendar's switches (read when the job runs). The owner's notice
 * needs an owner email: a calendar without one has no one to notify, and nothing is recorded.
 */
export function plannedNotifications(options: {
  change: AppointmentChange;
  eventId: string;
  switches: CalendarNotifications;
  ownerEmail: string | null;
}): PlannedNotification[] {
  const { change, eventId, switches } = options;
  const planned: PlannedNotification[] = [];
  if (switches.confirmation)
    planned.push({
      audience: 'contact',
      kind: notificationKind(change, 'contact', eventId),
      template: NOTIFICATION_TEMPLATES[change].contact,
    });
  if (switches.ownerNotice && options.ownerEmail)
    planned.push({
      audience: 'owner',
      kind: notificationKind(change, 'owner', eventId),
      template: NOTIFICATION_TEMPLATES[change].owner,
    });
  return planned;
}

import type { AccountRow } from '../accounts/account-store';
import { contactMergeFields } from '../contacts/contact-fields';
import type { Contact } from '../contacts/contact-schema';
import { canonicalZone } from '../lib/time-zone';
import type { UrlSigner } from '../lib/signed-tokens';
import { addToCalendarLinks } from './add-to-calendar';
import type { AppointmentRow } from './appointment-store';
import { toPublicAppointment } from './appointment-view';
import type { CalendarRecord } from './calendar-schema';
import { dateAndTimeText } from './time-text';

/** What happened to the appointment: the outbox event a notification answers. */
export type AppointmentChange = 'booked' | 'rescheduled' | 'cancelled';

/** Who a notification goes to: the contact who booked, or the calendar's owner. */
export type NotificationAudience = 'contact' | 'owner';

/** An appointment's time as people read it, in one zone. */
export interface TimeText {
  /** `Friday, 4 December 2026` */
  date: string;
  /** `09:30` */
  startTime: string;
  /** `10:00` */
  endTime: string;
  /** `09:30–10:00` */
  time: string;
  /** `Friday, 4 December 2026, 09:30–10:00 (Europe/Paris)` */
  when: string;
}

/**
 * Formats a start and end in `zone` (24-hour clock, English names: the templates are English; a
 * marketer wanting another style formats `appointment.start` with `formatDate` and `appointment.timezone`).
 */
export function describeTime(start: Date, end: Date, zone: string): TimeText {
  const { date, time: startTime } = dateAndTimeText(start, zone);
  const endTime = dateAndTimeText(end, zone).time;
  const time = `${startTime}–${endTime}`;
  return { date, startTime, endTime, time, when: `${date}, ${time} (${zone})` };
}

/** The zone a notification's times are shown in: the contact's for them, the calendar's for its owner. */
export function notificationZone(audience: NotificationAudience, contact: Contact, calendar: CalendarRecord): string {
  const contactZone = audience === 'contact' ? canonicalZone(contact.timezone) : null;
  return contactZone ?? canonicalZone(calendar.timezone) ?? 'UTC';
}

export interface NotificationContextOptions {
  change: AppointmentChange;
  audience: NotificationAudience;
  appointment: AppointmentRow;
  /** The time before a reschedule (the event's previousStart/previousEnd). */
  previous: { start: Date; end: Date } | null;
  calendar: CalendarRecord;
  contact: Contact;
  account: AccountRow;
  urls: UrlSigner;
}

/**
 * What the notification templates see (documented in templates/README.md): `contact`, `account`,
 * `calendar` (with `schedulingUrl`), `appointment` (times as ISO instants and as text in the
 * audience's zone; the reschedule and cancel links and "Add to calendar" (`icsUrl`,
 * `googleCalendarUrl`) while it is booked; `previous…` after a
 * reschedule), `consoleUrl` (the contact in the console, for the owner). `unsubscribeUrl` is added
 * by the sender for the contact's emails only.
 */
export function notificationContext(options: NotificationContextOptions): Record<string, unknown> {
  const { appointment, calendar, contact, urls, previous } = options;
  const zone = notificationZone(options.audience, contact, calendar);
  const links = toPublicAppointment(appointment, urls);
  const schedulingUrl = `${urls.publicUrl}/c/${calendar.slug}`;
  const previousText = previous ? describeTime(previous.start, previous.end, zone) : null;
  return {
    contact: contactMergeFields(contact),
    account: options.account,
    calendar: {
      id: calendar.id,
      name: calendar.name,
      slug: calendar.slug,
      timezone: calendar.timezone,
      durationMinutes: calendar.durationMinutes,
      ownerName: calendar.ownerName,
      ownerEmail: calendar.ownerEmail,
      schedulingUrl,
    },
    appointment: {
      id: appointment.id,
      status: appointment.status,
      change: options.change,
      start: links.start,
      end: links.end,
      calendarId: calendar.id,
      calendarName: calendar.name,
      timezone: zone,
      ...describeTime(appointment.start_at, appointment.end_at, zone),
      // A cancelled appointment has nothing left to move or cancel: its links answer 410.
      ...(appointment.status === 'booked' && {
        rescheduleUrl: links.rescheduleUrl,
        cancelUrl: links.cancelUrl,
        ...addToCalendarLinks(links, calendar),
      }),
      bookAgainUrl: schedulingUrl,
      ...(previous &&
        previousText && {
          previousStart: previous.start.toISOString(),
          previousEnd: previous.end.toISOString(),
          previousDate: previousText.date,
          previousTime: previousText.time,
          previousWhen: previousText.when,
        }),
    },
    consoleUrl: `${urls.publicUrl}/app/contacts/${contact.id}`,
  };
}

import ical, { ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import type { PublicAppointment } from './appointment-view';
import type { CalendarRecord } from './calendar-schema';

/** What "Add to calendar" needs to know about an appointment. */
export interface AppointmentEventOptions {
  appointment: PublicAppointment;
  calendar: Pick<CalendarRecord, 'name' | 'ownerName'>;
  /**
   * RFC 5545 SEQUENCE: must grow when the appointment changes, so that a calendar app that imported
   * the first file takes a later one (same UID) as an update. Default 0.
   */
  sequence?: number;
  /** DTSTAMP. Default now. */
  stamp?: Date;
}

/** "Discovery call with Olive Owner": the calendar's name and its owner, as the person's calendar shows it. */
export function appointmentSummary(calendar: AppointmentEventOptions['calendar']): string {
  return calendar.ownerName ? `${calendar.name} with ${calendar.ownerName}` : calendar.name;
}

/** The event's notes: the person's own links, so that changing plans starts from their calendar. */
export function appointmentDescription(appointment: PublicAppointment): string {
  return `Reschedule: ${appointment.rescheduleUrl}\nCancel: ${appointment.cancelUrl}`;
}

/**
 * The UID: one per appointment, never per file, so a rescheduled or cancelled appointment's file
 * updates the event already imported instead of adding a second one.
 */
export const appointmentUid = (appointmentId: string): string => `appointment-${appointmentId}@linkflow`;

/** An iCalendar file (text/calendar) with the one event of an appointment, in UTC. */
export function appointmentIcs(options: AppointmentEventOptions): string {
  const { appointment, calendar } = options;
  const file = ical({ prodId: { company: 'Linkflow', product: 'booking', language: 'EN' } });
  file.method(ICalCalendarMethod.PUBLISH);
  file.createEvent({
    id: appointmentUid(appointment.id),
    start: new Date(appointment.start),
    end: new Date(appointment.end),
    stamp: options.stamp ?? new Date(),
    sequence: options.sequence ?? 0,
    summary: appointmentSummary(calendar),
    description: appointmentDescription(appointment),
    url: appointment.rescheduleUrl,
    status: appointment.status === 'cancelled' ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
  });
  return file.toString();
}

/** An instant as `toISOString` writes it (what PublicAppointment holds), its fields captured. */
const ISO_INSTANT = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)\.\d{3}Z$/;

/**
 * `20260309T130000Z`: the form Google Calendar's `dates` parameter takes. An ISO instant whose fields
 * are all in range is what `new Date(iso).toISOString()` gives back unchanged, so its digits are
 * taken as they are (every booking answer and email makes two); anything else goes through Date.
 */
export function googleInstant(iso: string): string {
  const fields = ISO_INSTANT.exec(iso);
  if (fields && inRange(fields)) return `${fields[1]}${fields[2]}${fields[3]}T${fields[4]}${fields[5]}${fields[6]}Z`;
  return new Date(iso)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

function inRange(fields: RegExpExecArray): boolean {
  const [year, month, day, hour, minute, second] = fields.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const daysInMonth = new Date(Date.UTC(2000, month, 0)).getUTCDate() - (month === 2 && !isLeap(year) ? 1 : 0);
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth && hour <= 23 && minute <= 59 && second <= 59;
}

const isLeap = (year: number): boolean => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

/** A Google Calendar "add event" link prefilled with the appointment (nothing is sent to Google until the person opens it). */
export function googleCalendarUrl(options: Pick<AppointmentEventOptions, 'appointment' | 'calendar'>): string {
  const { appointment, calendar } = options;
  const query = new URLSearchParams({
    action: 'TEMPLATE',
    text: appointmentSummary(calendar),
    dates: `${googleInstant(appointment.start)}/${googleInstant(appointment.end)}`,
    details: appointmentDescription(appointment),
  });
  return `https://calendar.google.com/calendar/render?${query.toString()}`;
}

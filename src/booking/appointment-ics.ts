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

/** `20260309T130000Z`: the form Google Calendar's `dates` parameter takes. */
const googleInstant = (iso: string): string =>
  new Date(iso)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');

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

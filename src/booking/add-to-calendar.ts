import { googleCalendarUrl } from './appointment-ics';
import type { PublicAppointment } from './appointment-view';
import type { CalendarRecord } from './calendar-schema';

export interface AddToCalendarLinks {
  /** The appointment as an .ics file (`GET /book/reschedule/:token/calendar.ics`). */
  icsUrl: string;
  /** Google Calendar's "add event" page, prefilled. */
  googleCalendarUrl: string;
}

/**
 * "Add to calendar" after a booking: on the confirmation page, in the JSON answer and in the
 * confirmation email. The file hangs off the appointment's reschedule link, not the one-time link:
 * it stays downloadable once the link is spent, and shows the appointment as it is now.
 */
export function addToCalendarLinks(
  appointment: PublicAppointment,
  calendar: Pick<CalendarRecord, 'name' | 'ownerName'>,
): AddToCalendarLinks {
  return {
    icsUrl: `${appointment.rescheduleUrl}/calendar.ics`,
    googleCalendarUrl: googleCalendarUrl({ appointment, calendar }),
  };
}

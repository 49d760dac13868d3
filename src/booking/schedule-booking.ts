import type { Db } from '../db/data-source';
import type { UrlSigner } from '../lib/signed-tokens';
import type { AppointmentRow } from './appointment-store';
import { bookSlot } from './book-slot';
import { parseBooker } from './booking-contact';
import type { CalendarRecord } from './calendar-schema';

export interface ScheduleOptions {
  calendar: CalendarRecord;
  start: Date;
  /** `{name, email, phone?, tz?}`: the contact is found by email, or created. */
  booker: unknown;
  urls: UrlSigner;
}

/**
 * Books from the reusable scheduling page (/c/:slug or /c/:id): no link is spent. One transaction:
 * the contact (found or created), the appointment (409 slot_unavailable when taken) and its
 * `appointment.booked` event.
 */
export async function bookFromSchedulingPage(db: Db, options: ScheduleOptions): Promise<AppointmentRow> {
  // Name, email (and phone) first, before the slot: on this page a form wrong in both ways shows what to fix in its fields.
  const booker = parseBooker(options.calendar, options.booker);
  return db.transaction((tx) =>
    bookSlot(tx, {
      calendar: options.calendar,
      start: options.start,
      who: { booker },
      linkId: null,
      urls: options.urls,
    }),
  );
}

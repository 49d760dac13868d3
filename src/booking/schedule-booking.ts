import type { Db } from '../db/data-source';
import { ValidationError } from '../lib/errors';
import { parseOrThrow } from '../lib/zod-issues';
import type { UrlSigner } from '../lib/signed-tokens';
import { bookAppointment } from './appointment-service';
import type { AppointmentRow } from './appointment-store';
import { bookerSchema, findOrCreateBookingContact } from './booking-contact';
import type { CalendarRecord } from './calendar-schema';
import { slotStartingAt } from './slots';

export interface ScheduleOptions {
  calendar: CalendarRecord;
  start: Date;
  /** `{name, email}`: the contact is found by email, or created. */
  booker: unknown;
  urls: UrlSigner;
}

/**
 * Books from the reusable scheduling page (/c/:slug or /c/:id): no link is spent. One transaction:
 * the contact (found or created), the appointment (409 slot_unavailable when taken) and its
 * `appointment.booked` event.
 */
export async function bookFromSchedulingPage(db: Db, options: ScheduleOptions): Promise<AppointmentRow> {
  const booker = parseOrThrow(bookerSchema, options.booker);
  const slot = slotStartingAt(options.calendar, options.start, new Date());
  if (!slot) throw new ValidationError([{ path: 'start', message: 'is not a free slot of this calendar' }]);
  return db.transaction(async (tx) => {
    const contactId = await findOrCreateBookingContact(tx, options.calendar.accountId, booker);
    return bookAppointment(tx, { calendar: options.calendar, contactId, linkId: null, slot, urls: options.urls });
  });
}

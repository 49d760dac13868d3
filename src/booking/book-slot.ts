import type { Tx } from '../db/data-source';
import { ValidationError } from '../lib/errors';
import type { UrlSigner } from '../lib/signed-tokens';
import { bookAppointment, type BookOptions } from './appointment-service';
import type { AppointmentRow } from './appointment-store';
import { findOrCreateBookingContact, parseBooker } from './booking-contact';
import type { CalendarRecord } from './calendar-schema';
import { slotStartingAt } from './slots';

/** Who books: a contact known beforehand (a link minted for one), or a visitor's `{name, email, phone?, tz?}`. */
export type BookingParty = { contactId: string } | { booker: unknown };

export interface BookSlotOptions {
  calendar: CalendarRecord;
  /** The slot's start; it must be on the calendar's availability grid, inside window and notice. */
  start: Date;
  who: BookingParty;
  /** The one-time link this booking redeems; null for the reusable scheduling page. */
  linkId: string | null;
  urls: UrlSigner;
  /** Events appended with `appointment.booked`, in the same statement (see bookAppointment). Default none. */
  alsoAppend?: BookOptions['alsoAppend'];
}

/**
 * The booking both public pages share, in the caller's transaction: the start must be a slot of the
 * calendar (400 `start` otherwise); a visitor's `{name, email}` (and `phone` when the calendar asks
 * for it) is checked next (400) and becomes the contact with that email in the calendar's account,
 * found or created (see findOrCreateBookingContact); then the appointment
 * and its `appointment.booked` event, which the exclusion constraint refuses for a taken slot
 * (409 slot_unavailable, and the caller's transaction must roll back).
 */
export async function bookSlot(tx: Tx, options: BookSlotOptions): Promise<AppointmentRow> {
  const { calendar, who } = options;
  const slot = slotStartingAt(calendar, options.start, new Date());
  if (!slot) throw new ValidationError([{ path: 'start', message: 'is not a free slot of this calendar' }]);
  const contactId =
    'contactId' in who
      ? who.contactId
      : await findOrCreateBookingContact(tx, calendar.accountId, parseBooker(calendar, who.booker));
  return bookAppointment(tx, {
    calendar,
    contactId,
    linkId: options.linkId,
    slot,
    urls: options.urls,
    alsoAppend: options.alsoAppend,
  });
}

import type { Db } from '../db/data-source';
import { queryRows } from '../db/sql';
import { appendEvent } from '../events/outbox';
import { appointmentEventData, bookAppointment } from '../booking/appointment-service';
import type { AppointmentRow } from '../booking/appointment-store';
import { bookerSchema, findOrCreateBookingContact } from '../booking/booking-contact';
import { loadCalendar } from '../booking/calendar-service';
import type { CalendarRecord } from '../booking/calendar-schema';
import { slotStartingAt } from '../booking/slots';
import { GoneError, NotFoundError, ValidationError } from '../lib/errors';
import { parseOrThrow } from '../lib/zod-issues';
import { LINK_COLUMNS, type LinkRow } from './link-service';
import { looksLikeToken, tokenHash, type UrlSigner } from '../lib/signed-tokens';

export interface RedeemOptions {
  token: string;
  /** The slot's start; it must be on the calendar's availability grid, inside window and notice. */
  start: Date;
  /** `{name, email}` of the person booking; required when the link belongs to no contact. */
  booker?: unknown;
  urls: UrlSigner;
}

export interface Redemption {
  link: LinkRow;
  calendar: CalendarRecord;
  appointment: AppointmentRow;
}

/** The one answer for every link that cannot be used any more, whichever the reason. */
export class LinkGoneError extends GoneError {
  constructor() {
    super('This link has expired');
  }
}

/**
 * Books a slot with a one-time link, in ONE transaction:
 * 1. a conditional update consumes one use only if the link is active, unexpired and under
 *    maxUses: of 50 concurrent requests on a single-use link, the first takes the row lock and the
 *    other 49 re-check the condition after it commits, find it used, and get 410;
 * 2. the start must be a slot of the calendar (400 otherwise);
 * 3. the appointment insert, which the exclusion constraint refuses for a taken slot (409
 *    slot_unavailable);
 * 4. the outbox events `appointment.booked` and `link.redeemed`.
 * Any failure after 1 rolls the whole transaction back, so the link stays usable.
 */
export async function redeemLink(db: Db, options: RedeemOptions): Promise<Redemption> {
  if (!looksLikeToken(options.token)) throw new NotFoundError('Link');
  const hash = tokenHash(options.token);
  return db.transaction(async (tx) => {
    const consumed = await queryRows<LinkRow>(
      tx,
      `UPDATE one_time_links
       SET uses = uses + 1, status = CASE WHEN uses + 1 >= max_uses THEN 'used' ELSE 'active' END, redeemed_at = now()
       WHERE token_hash = $1 AND status = 'active' AND expires_at > now() AND uses < max_uses
       RETURNING ${LINK_COLUMNS}`,
      [hash],
    );
    const link = consumed[0];
    if (!link) {
      const known: unknown[] = await tx.query('SELECT 1 FROM one_time_links WHERE token_hash = $1', [hash]);
      throw known.length > 0 ? new LinkGoneError() : new NotFoundError('Link');
    }
    const calendar = await loadCalendar(tx, link.calendar_id);
    const slot = slotStartingAt(calendar, options.start, new Date());
    if (!slot) throw new ValidationError([{ path: 'start', message: 'is not a free slot of this calendar' }]);
    const contactId = link.contact_id ?? (await findOrCreateBookingContact(tx, link.account_id, parseOrThrow(bookerSchema, options.booker ?? {})));
    const appointment = await bookAppointment(tx, { calendar, contactId, linkId: link.id, slot, urls: options.urls });
    await appendEvent(tx, {
      accountId: link.account_id,
      type: 'link.redeemed',
      contactId,
      data: { ...appointmentEventData(appointment, calendar), uses: link.uses, maxUses: link.max_uses },
    });
    return { link, calendar, appointment };
  });
}

import type { Db } from '../db/data-source';
import { appointmentEventData } from '../booking/appointment-service';
import type { AppointmentRow } from '../booking/appointment-store';
import { bookSlot } from '../booking/book-slot';
import { calendarAtVersion } from '../booking/calendar-cache';
import type { CalendarRecord } from '../booking/calendar-schema';
import { GoneError, NotFoundError } from '../lib/errors';
import { consumeLinkUse, linkExistsWithTokenHash, type LinkRow } from './link-store';
import { linkRedeemedData, redeemInOneStatement } from './one-statement-redemption';
import { looksLikeToken, tokenHash, type UrlSigner } from '../lib/signed-tokens';
import type { LinkReadBatch } from './link-read-batch';
import type { LinkSpendBatch } from './link-spend-batch';

export interface RedeemOptions {
  token: string;
  /** The slot's start; it must be on the calendar's availability grid, inside window and notice. */
  start: Date;
  /** `{name, email}` of the person booking; required when the link belongs to no contact. */
  booker?: unknown;
  urls: UrlSigner;
  /** An API process's batch of booking reads (link-read-batch.ts). Default none: the link is read alone. */
  reads?: LinkReadBatch;
  /** An API process's batch of bookings (link-spend-batch.ts). Default none: each booking is its own statement. */
  spends?: LinkSpendBatch;
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
 * Books a slot with a one-time link. The common case (a link of a contact, a start on the grid) is
 * one statement doing all of the below (redeemInOneStatement); any other, and any doubt, is ONE transaction:
 * 1. a conditional update consumes one use only if the link is active, unexpired and under
 *    maxUses (`consumeLinkUse`): of 50 concurrent requests on a single-use link, the first takes
 *    the row lock and the other 49 re-check the condition after it commits, find it used, and get 410;
 * 2. `bookSlot`: the start must be a slot of the calendar (400 otherwise), the booker is the link's
 *    contact or the visitor's `{name, email}` (400 if invalid), and the appointment insert, which
 *    the exclusion constraint refuses for a taken slot (409 slot_unavailable), with `appointment.booked`;
 * 3. the outbox event `link.redeemed`, in the same INSERT as `appointment.booked`.
 * Any failure after 1 rolls the whole transaction back, so the link stays usable.
 */
export async function redeemLink(db: Db, options: RedeemOptions): Promise<Redemption> {
  if (!looksLikeToken(options.token)) throw new NotFoundError('Link');
  const hash = tokenHash(options.token);
  // Most bookings: two round trips, no transaction (see redeemInOneStatement); null means "not sure".
  const quick = await redeemInOneStatement(db, {
    hash,
    start: options.start,
    urls: options.urls,
    reads: options.reads,
    spends: options.spends,
  });
  if (quick) return quick;
  return db.transaction(async (tx) => {
    const link = await consumeLinkUse(tx, hash);
    if (!link) throw (await linkExistsWithTokenHash(tx, hash)) ? new LinkGoneError() : new NotFoundError('Link');
    // The calendar as parsed before while its row is unchanged (the version came with the link's update).
    const { calendar_version: calendarVersion, ...spent } = link;
    const calendar = await calendarAtVersion(tx, link.calendar_id, calendarVersion);
    const who = link.contact_id ? { contactId: link.contact_id } : { booker: options.booker ?? {} };
    const appointment = await bookSlot(tx, {
      calendar,
      start: options.start,
      who,
      linkId: link.id,
      urls: options.urls,
      // `link.redeemed` goes in the same INSERT as `appointment.booked`, after it.
      alsoAppend: (row) => [
        {
          accountId: link.account_id,
          type: 'link.redeemed',
          contactId: row.contact_id,
          data: linkRedeemedData(appointmentEventData(row, calendar), { uses: link.uses, maxUses: link.max_uses }),
        },
      ],
    });
    return { link: spent, calendar, appointment };
  });
}

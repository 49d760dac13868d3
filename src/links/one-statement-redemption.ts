import type { Db } from '../db/data-source';
import { currentLane } from '../events/event-lane';
import { appointmentEventData, guardOverlap, newBookedAppointment } from '../booking/appointment-service';
import { calendarAtVersion } from '../booking/calendar-cache';
import type { CalendarRecord } from '../booking/calendar-schema';
import type { AppointmentRow } from '../booking/appointment-store';
import { slotStartingAt } from '../booking/slots';
import type { UrlSigner } from '../lib/signed-tokens';
import { effectiveStatus } from './link-service';
import { findLinkForRedemption, spendLinkAndBook, type LinkRow, type SpendAndBook } from './link-store';
import type { LinkSpendBatch } from './link-spend-batch';
import type { LinkReadBatch } from './link-read-batch';

/**
 * The common booking (a link minted for a contact, a start on its calendar's grid) in two round
 * trips instead of a transaction of five: the link read by its hash, then spendLinkAndBook's one
 * statement, which spends the link, inserts the appointment and records `appointment.booked` and
 * `link.redeemed`, all or nothing, under the same guarded UPDATE and exclusion constraint as the
 * transaction (a taken slot is SlotUnavailableError, 409, with the link unspent).
 *
 * Null, with nothing written, whenever the answer could be anything but 201: the link is unknown,
 * gone, has no contact (the visitor's details need the transaction), the start is not a slot, or the
 * link changed since it was read (a racing booking, an edited calendar). The caller then takes the
 * transaction path, which gives exactly the answer it always gave.
 */
export async function redeemInOneStatement(
  db: Db,
  options: { hash: string; start: Date; urls: UrlSigner; reads?: LinkReadBatch; spends?: LinkSpendBatch },
): Promise<{ link: LinkRow; calendar: CalendarRecord; appointment: AppointmentRow } | null> {
  const now = new Date();
  // With `reads` (an API process's), the link is read in one statement with the concurrent bookings' links.
  const seen = options.reads
    ? await options.reads.submit(options.hash)
    : await findLinkForRedemption(db.manager, options.hash);
  if (!seen?.contact_id || seen.calendar_version === null) return null;
  if (effectiveStatus(seen, now) !== 'active' || seen.uses >= seen.max_uses) return null;
  const calendar = await calendarAtVersion(db.manager, seen.calendar_id, seen.calendar_version);
  const slot = slotStartingAt(calendar, options.start, now);
  if (!slot) return null;
  const planned = newBookedAppointment({
    calendar,
    contactId: seen.contact_id,
    linkId: seen.id,
    slot,
    urls: options.urls,
  });
  const data = appointmentEventData(
    { id: planned.id, contact_id: seen.contact_id, link_id: seen.id, start_at: slot.start, end_at: slot.end },
    calendar,
  );
  const booking: SpendAndBook = {
    hash: options.hash,
    seen,
    appointment: planned,
    events: [
      { type: 'appointment.booked', data },
      // The uses after this one, as the transaction path counts them (the statement spends only from `seen.uses`).
      { type: 'link.redeemed', data: linkRedeemedData(data, { uses: seen.uses + 1, maxUses: seen.max_uses }) },
    ],
    lane: currentLane(),
  };
  // With `spends` (an API process's), in one statement with the concurrent bookings (link-spend-batch.ts).
  const done = await guardOverlap(() =>
    options.spends ? options.spends.submit(booking) : spendLinkAndBook(db.manager, booking),
  );
  if (!done) return null;
  const { calendar_version: _version, ...link } = seen;
  return { link: { ...link, ...done.link }, calendar, appointment: done.appointment };
}

/**
 * `link.redeemed`'s data: the appointment's event data with the link's uses after this booking. One
 * builder for both booking paths (this statement and the transaction in redeem-link.ts), which must
 * write the same event.
 */
export function linkRedeemedData(
  appointmentData: Record<string, unknown>,
  link: { uses: number; maxUses: number },
): Record<string, unknown> {
  return { ...appointmentData, uses: link.uses, maxUses: link.maxUses };
}

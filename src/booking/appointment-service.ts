import { randomUUID } from 'node:crypto';
import type { Tx } from '../db/data-source';
import { appendEvent, appendEvents, type OutboxEventInput } from '../events/outbox';
import { newTokenSalt, tokenHash, type UrlSigner } from '../lib/signed-tokens';
import { isExclusionViolation, SlotUnavailableError } from './booking-errors';
import type { CalendarRecord } from './calendar-schema';
import type { Slot } from './slots';
import {
  insertAppointment,
  lockAppointmentTime,
  markAppointmentCancelled,
  moveBookedAppointment,
  type AppointmentRow,
  type NewAppointment,
} from './appointment-store';
import { appointmentTokens } from './appointment-view';

export interface BookOptions {
  calendar: CalendarRecord;
  contactId: string;
  /** The one-time link this booking redeemed; null for the reusable scheduling page. */
  linkId: string | null;
  slot: Slot;
  urls: UrlSigner;
  /**
   * Events that go with the booking (the link's `link.redeemed`), appended after `appointment.booked`
   * in the same statement. Default none.
   */
  alsoAppend?: (row: AppointmentRow) => OutboxEventInput[];
}

/** What every appointment event carries, so triggers can match the calendar by id or slug. */
export function appointmentEventData(
  row: Pick<AppointmentRow, 'id' | 'contact_id' | 'link_id' | 'start_at' | 'end_at'>,
  calendar: CalendarRecord,
): Record<string, unknown> {
  return {
    appointmentId: row.id,
    calendarId: calendar.id,
    calendarSlug: calendar.slug,
    contactId: row.contact_id,
    linkId: row.link_id,
    start: row.start_at.toISOString(),
    end: row.end_at.toISOString(),
  };
}

/** Runs one statement that may overlap a booked appointment; the exclusion constraint turns that into a 409. */
export async function guardOverlap<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    // The statement failed, so the caller's transaction is aborted: the caller must let it roll back.
    if (isExclusionViolation(error)) throw new SlotUnavailableError();
    throw error;
  }
}

/** A booked appointment as it will be inserted: a fresh id, a fresh salt and the hashes of its two tokens. */
export function newBookedAppointment(options: Omit<BookOptions, 'alsoAppend'>): NewAppointment {
  const id = randomUUID();
  const salt = newTokenSalt();
  const tokens = appointmentTokens(options.urls, id, salt);
  return {
    id,
    accountId: options.calendar.accountId,
    calendarId: options.calendar.id,
    contactId: options.contactId,
    linkId: options.linkId,
    slot: options.slot,
    salt,
    rescheduleTokenHash: tokenHash(tokens.reschedule),
    cancelTokenHash: tokenHash(tokens.cancel),
  };
}

/**
 * Inserts a booked appointment and its `appointment.booked` event, in the caller's transaction.
 * Two bookings of overlapping slots: the second waits for the first to commit, then fails with
 * SlotUnavailableError (409 slot_unavailable) and its transaction rolls back.
 */
export async function bookAppointment(tx: Tx, options: BookOptions): Promise<AppointmentRow> {
  const { calendar } = options;
  const row = await guardOverlap(() => insertAppointment(tx, newBookedAppointment(options)));
  // One INSERT (and one NOTIFY) for the booking's events, in this order.
  await appendEvents(tx, [
    {
      accountId: calendar.accountId,
      type: 'appointment.booked',
      contactId: row.contact_id,
      data: appointmentEventData(row, calendar),
    },
    ...(options.alsoAppend?.(row) ?? []),
  ]);
  return row;
}

/**
 * Moves a booked appointment to another slot (its tokens and link stay as they are) and emits
 * `appointment.rescheduled`. Null when it is no longer booked.
 */
export async function rescheduleAppointment(
  tx: Tx,
  options: { appointmentId: string; calendar: CalendarRecord; slot: Slot },
): Promise<AppointmentRow | null> {
  const before = await lockAppointmentTime(tx, options.appointmentId);
  const row = await guardOverlap(() => moveBookedAppointment(tx, options.appointmentId, options.slot));
  if (!row || !before) return null;
  await appendEvent(tx, {
    accountId: row.account_id,
    type: 'appointment.rescheduled',
    contactId: row.contact_id,
    data: {
      ...appointmentEventData(row, options.calendar),
      previousStart: before.start_at.toISOString(),
      previousEnd: before.end_at.toISOString(),
    },
  });
  return row;
}

/**
 * Cancels a booked appointment, which frees its slot, and emits `appointment.cancelled` once:
 * a second cancel finds it cancelled already and returns null.
 */
export async function cancelAppointment(
  tx: Tx,
  options: { appointmentId: string; calendar: CalendarRecord },
): Promise<AppointmentRow | null> {
  const row = await markAppointmentCancelled(tx, options.appointmentId);
  if (!row) return null;
  await appendEvent(tx, {
    accountId: row.account_id,
    type: 'appointment.cancelled',
    contactId: row.contact_id,
    data: appointmentEventData(row, options.calendar),
  });
  return row;
}

import { DateTime } from 'luxon';
import { z } from 'zod';
import type { Tx } from '../db/data-source';
import { ValidationError } from '../lib/errors';
import { parseOrThrow } from '../lib/zod-issues';
import { selectBookedTimes } from './appointment-store';
import type { CalendarRecord } from './calendar-schema';
import { bookableWindow, freeSlots, type Slot } from './slots';

/** The longest range one slot listing may cover. */
export const MAX_SLOT_RANGE_DAYS = 62;
const DAY_MS = 24 * 3600 * 1000;
/** The longest slot (durationMinutes max): booked appointments this far before `from` may still overlap. */
const MAX_SLOT_MS = 12 * 3600 * 1000;

/** An ISO-8601 date-time with an offset or `Z` (a date alone means its midnight in UTC). */
export const isoInstant = z
  .string()
  .max(64)
  // Parsed once (a booking's start is parsed on every POST /book/:token).
  .transform((text, ctx) => {
    const parsed = DateTime.fromISO(text, { zone: 'utc' });
    if (parsed.isValid) return parsed.toJSDate();
    ctx.issues.push({
      code: 'custom',
      message: 'must be an ISO-8601 date-time like 2026-03-09T13:00:00Z',
      input: text,
    });
    return z.NEVER;
  });

export const slotRangeQuerySchema = z.object({ from: isoInstant.optional(), to: isoInstant.optional() });

export interface SlotRange {
  from: Date;
  to: Date;
}

/** `from` defaults to now, `to` to the end of the booking window (at most 62 days after `from`). */
export function resolveSlotRange(calendar: CalendarRecord, query: unknown, now = new Date()): SlotRange {
  const parsed = parseOrThrow(slotRangeQuerySchema, query);
  const from = parsed.from ?? now;
  const windowEnd = bookableWindow(calendar, now).latest.getTime() + 1;
  const to =
    parsed.to ??
    new Date(Math.max(Math.min(windowEnd, from.getTime() + MAX_SLOT_RANGE_DAYS * DAY_MS), from.getTime() + 1));
  if (to <= from) throw new ValidationError([{ path: 'to', message: 'must be after from' }]);
  if (to.getTime() - from.getTime() > MAX_SLOT_RANGE_DAYS * DAY_MS) {
    throw new ValidationError([{ path: 'to', message: `at most ${MAX_SLOT_RANGE_DAYS} days after from` }]);
  }
  return { from, to };
}

/** Booked appointments of a calendar that may overlap [from, to). */
export async function bookedSlots(tx: Tx, calendarId: string, range: SlotRange): Promise<Slot[]> {
  const rows = await selectBookedTimes(tx, calendarId, range.from, new Date(range.to.getTime() + MAX_SLOT_MS));
  return rows.map((row) => ({ start: row.start_at, end: row.end_at }));
}

/** Free slots of a calendar in a range: availability, minus bookings, inside window and notice. */
export async function listFreeSlots(
  tx: Tx,
  calendar: CalendarRecord,
  range: SlotRange,
  now = new Date(),
): Promise<Slot[]> {
  return freeSlots(calendar, { ...range, now, booked: await bookedSlots(tx, calendar.id, range) });
}

export function slotView(slot: Slot): { start: string; end: string } {
  return { start: slot.start.toISOString(), end: slot.end.toISOString() };
}

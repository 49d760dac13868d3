import type { Response } from 'express';
import type { Tx } from '../../db/data-source';
import type { CalendarRecord } from '../../booking/calendar-schema';
import { listFreeSlots, resolveSlotRange, slotView } from '../../booking/slot-service';
import { bookableWindow } from '../../booking/slots';
import { dayPage } from '../pages/booking-view';
import { slotFormPage, type SlotFormModel } from '../pages/booking-html';

export interface SlotPickerOptions extends Omit<SlotFormModel, 'slots' | 'page' | 'until'> {
  /** `date` query field: the first day shown (YYYY-MM-DD in the visitor's zone). */
  date?: unknown;
  status?: number;
}

/**
 * Renders a week of free slots of a calendar in the visitor's zone, as a form of radio buttons (the
 * page without JavaScript; the booking widget replaces it and asks for months as JSON).
 */
export async function sendSlotPicker(tx: Tx, res: Response, options: SlotPickerOptions): Promise<void> {
  const now = new Date();
  const calendar: CalendarRecord = options.calendar;
  const until = bookableWindow(calendar, now).latest;
  const page = dayPage(options.date, options.tz, now, until);
  const slots = await listFreeSlots(tx, calendar, { from: page.from, to: page.to }, now);
  res
    .status(options.status ?? 200)
    .type('html')
    .send(slotFormPage({ ...options, slots, page, until }));
}

/** The JSON a public page answers with `Accept: application/json`: the calendar and its free slots. */
export async function publicSlotsJson(
  tx: Tx,
  calendar: CalendarRecord,
  query: { from?: unknown; to?: unknown },
): Promise<{ calendar: Record<string, unknown>; slots: { start: string; end: string }[] }> {
  const slots = await listFreeSlots(tx, calendar, resolveSlotRange(calendar, { from: query.from, to: query.to }));
  return {
    calendar: {
      name: calendar.name,
      timezone: calendar.timezone,
      durationMinutes: calendar.durationMinutes,
      ownerName: calendar.ownerName,
    },
    slots: slots.map(slotView),
  };
}

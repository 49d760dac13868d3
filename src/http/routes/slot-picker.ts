import type { Request, Response } from 'express';
import type { Tx } from '../../db/data-source';
import type { CalendarRecord } from '../../booking/calendar-schema';
import { listFreeSlots, resolveSlotRange, slotView } from '../../booking/slot-service';
import { bookableWindow } from '../../booking/slots';
import { dayPage, visitorZone } from '../pages/booking-view';
import { slotFormPage, type SlotFormModel } from '../pages/booking-html';
import type { BookingBody } from './public-page-router';

export interface SlotPickerOptions extends Omit<SlotFormModel, 'slots' | 'page' | 'until'> {
  /** `date` query field: the first day shown (YYYY-MM-DD in the visitor's zone). */
  date?: unknown;
  status?: number;
}

/** A booking form shown again: the status and message of what went wrong, and what the visitor sent. */
export interface FormRetry {
  status?: number;
  error?: string;
  body?: BookingBody;
}

/**
 * The slot picker of the booking page at `req`'s URL (its form posts back there), in the visitor's
 * zone: the one they chose, else the contact's (`contactZone`), else the calendar's. A page for a
 * known contact shows them and asks nothing; otherwise it asks name and email (and a phone when the
 * calendar asks for one).
 */
export function bookingFormOptions(
  req: Request,
  calendar: CalendarRecord,
  visitor: { contact: { name: string; email: string | null } | null; contactZone?: string | null },
  retry: FormRetry,
): SlotPickerOptions {
  return {
    calendar,
    heading: calendar.name,
    submitLabel: 'Book this time',
    action: `${req.baseUrl}${req.path}`,
    tz: visitorZone(retry.body?.tz ?? req.query.tz, visitor.contactZone, calendar.timezone),
    date: req.query.date,
    contact: visitor.contact,
    askName: !visitor.contact,
    askPhone: !visitor.contact && calendar.askPhone,
    values: {
      name: retry.body?.name,
      email: retry.body?.email,
      phone: retry.body?.phone,
      start: retry.body?.start.toISOString(),
    },
    status: retry.status,
    error: retry.error,
  };
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

import { randomBytes } from 'node:crypto';
import type { Tx } from '../db/data-source';
import { isUniqueViolation, isUuid } from '../contacts/contact-store';
import { NotFoundError } from '../lib/errors';
import { parseOrThrow } from '../lib/zod-issues';
import { SlugTakenError } from './booking-errors';
import {
  DEFAULT_NOTIFICATIONS,
  calendarInputSchema,
  calendarPatchSchema,
  type Calendar,
  type CalendarInput,
  type CalendarPatch,
  type CalendarRecord,
} from './calendar-schema';
import { findCalendar, insertCalendar, selectCalendarsOfAccount, updateCalendarFields } from './calendar-store';

/** The API's view: a record without its account. */
export function toCalendarView(record: CalendarRecord): Calendar {
  const { accountId: _accountId, ...view } = record;
  return view;
}

/** "Sales Call!" → "sales-call"; "calendar" when nothing is left. */
function slugify(name: string): string {
  const base = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 50);
  return base || 'calendar';
}

/** Creates a calendar; a given slug taken by any calendar is a 409, a derived one gets a random suffix. */
export async function createCalendar(tx: Tx, accountId: string, input: CalendarInput): Promise<CalendarRecord> {
  const data = parseOrThrow(calendarInputSchema, input);
  const base = data.slug ?? slugify(data.name);
  for (let attempt = 0; attempt < 5; attempt++) {
    const slug = attempt === 0 ? base : `${base}-${randomBytes(3).toString('hex')}`;
    const created = await insertCalendar(tx, {
      accountId,
      slug,
      name: data.name,
      timezone: data.timezone,
      durationMinutes: data.durationMinutes,
      availability: data.availability,
      bookingWindowDays: data.bookingWindowDays,
      minNoticeMinutes: data.minNoticeMinutes,
      ownerName: data.ownerName ?? null,
      ownerEmail: data.ownerEmail ?? null,
      notifications: { ...DEFAULT_NOTIFICATIONS, ...data.notifications },
      askPhone: data.askPhone,
    });
    if (created) return created;
    if (data.slug) throw new SlugTakenError(data.slug);
  }
  throw new SlugTakenError(base);
}

/** A calendar of this account by id; another account's (or no uuid at all) is a 404. */
export async function getCalendar(tx: Tx, accountId: string, calendarId: string): Promise<CalendarRecord> {
  if (!isUuid(calendarId)) throw new NotFoundError('Calendar');
  const calendar = await findCalendar(tx, { id: calendarId }, accountId);
  if (!calendar) throw new NotFoundError('Calendar');
  return calendar;
}

/** A calendar of this account by id or slug (workflow configs name calendars either way); null if none. */
export async function findCalendarByRef(tx: Tx, accountId: string, ref: string): Promise<CalendarRecord | null> {
  return findCalendar(tx, isUuid(ref) ? { id: ref } : { slug: ref }, accountId);
}

/** Any account's calendar by id or slug, for the public scheduling pages; null if none. */
export async function findPublicCalendar(tx: Tx, ref: string): Promise<CalendarRecord | null> {
  return findCalendar(tx, isUuid(ref) ? { id: ref } : { slug: ref });
}

/** By id, for services that hold a calendar id from their own row. */
export async function loadCalendar(tx: Tx, calendarId: string): Promise<CalendarRecord> {
  const calendar = await findCalendar(tx, { id: calendarId });
  if (!calendar) throw new NotFoundError('Calendar');
  return calendar;
}

export async function listCalendars(tx: Tx, accountId: string): Promise<CalendarRecord[]> {
  return selectCalendarsOfAccount(tx, accountId);
}

/** Replaces the given fields. Existing appointments stay as booked, even outside new availability. */
export async function updateCalendar(
  tx: Tx,
  accountId: string,
  calendarId: string,
  patch: CalendarPatch,
): Promise<CalendarRecord> {
  const data = parseOrThrow(calendarPatchSchema, patch);
  await getCalendar(tx, accountId, calendarId);
  try {
    return (await updateCalendarFields(tx, accountId, calendarId, data))!;
  } catch (error) {
    if (isUniqueViolation(error) && data.slug) throw new SlugTakenError(data.slug);
    throw error;
  }
}

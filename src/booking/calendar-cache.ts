import type { Tx } from '../db/data-source';
import { loadCalendar } from './calendar-service';
import type { CalendarRecord } from './calendar-schema';

/** Calendars kept per process. A booking page serves a few calendars at a time; the oldest goes first. */
const MAX_CALENDARS = 500;
const cached = new Map<string, { version: string; calendar: CalendarRecord }>();

/**
 * The calendar a booking needs, reused while its row has not changed: `version` is the row's
 * `<xmin>/<updated_at>` read by the booking's own statement (consumeLinkUse), which every update of
 * the calendar changes, so an edited calendar (availability, window, notice, notifications…) is read
 * again by the next booking, never served stale. Without a version (the calendar is gone), it is read,
 * and its absence is the 404 it always was. The records are shared: callers must not change them.
 */
export async function calendarAtVersion(tx: Tx, calendarId: string, version: string | null): Promise<CalendarRecord> {
  const hit = cached.get(calendarId);
  if (version !== null && hit?.version === version) return hit.calendar;
  const calendar = await loadCalendar(tx, calendarId);
  if (version === null) return calendar;
  // Read in a later statement than the version: a calendar updated in between is newer than its key,
  // and that key is never read again, so the next booking reads it once more.
  cached.delete(calendarId);
  cached.set(calendarId, { version, calendar });
  if (cached.size > MAX_CALENDARS) cached.delete(cached.keys().next().value!);
  return calendar;
}

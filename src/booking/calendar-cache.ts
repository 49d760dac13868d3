import type { Tx } from '../db/data-source';
import { versionedCache } from '../lib/versioned-cache';
import { loadCalendar } from './calendar-service';
import type { CalendarRecord } from './calendar-schema';

/** Calendars kept per process. A booking page serves a few calendars at a time; the oldest goes first. */
const MAX_CALENDARS = 500;
const calendars = versionedCache<Tx, CalendarRecord>(MAX_CALENDARS, loadCalendar);

/**
 * The calendar a booking or its emails need, reused while its row has not changed: `version` is the
 * row's `<xmin>/<updated_at>` read by the caller's own statement (calendarVersionOf in
 * calendar-store.ts: consumeLinkUse, the notify job's appointments), which every update of the
 * calendar changes, so an edited calendar (availability, window, notice, notifications…) is read
 * again by the next booking, never served stale. Without a version (the calendar is gone), it is read,
 * and its absence is the 404 it always was. The records are shared: callers must not change them.
 */
export async function calendarAtVersion(tx: Tx, calendarId: string, version: string | null): Promise<CalendarRecord> {
  return calendars.get(tx, calendarId, version);
}

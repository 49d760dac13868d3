import type { Tx } from '../db/data-source';
import { calendarSet } from '../definition/calendar-references';
import type { CalendarReferences } from '../definition/references';
import { listCalendars } from './calendar-service';

/** How many calendars listCalendars returns at most (calendar-store.ts). */
const LIST_LIMIT = 1000;

/**
 * The account's calendars as the definition checks see them (one query), for the callers that save a
 * workflow for an account or list its workflows: the API and console routes, the file sync at start.
 * Workflows sit below booking and cannot load them; these callers pass them down.
 */
export async function accountCalendars(tx: Tx, accountId: string): Promise<CalendarReferences> {
  const calendars = await listCalendars(tx, accountId);
  // The list stops at LIST_LIMIT: past it, an unlisted calendar may exist, so none is called unknown.
  if (calendars.length >= LIST_LIMIT) return { has: () => true };
  return calendarSet(calendars);
}

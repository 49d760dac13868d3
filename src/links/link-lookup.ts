import type { Tx } from '../db/data-source';
import { loadCalendar } from '../booking/calendar-service';
import type { CalendarRecord } from '../booking/calendar-schema';
import { effectiveStatus } from './link-service';
import { findLinkByTokenHash, type LinkRow } from './link-store';
import { looksLikeToken, tokenHash } from '../lib/signed-tokens';

export type LinkLookup =
  | { state: 'unknown' }
  /** Used, expired or revoked: the page says it expired and names the calendar's owner. */
  | { state: 'gone'; link: LinkRow; calendar: CalendarRecord }
  | { state: 'active'; link: LinkRow; calendar: CalendarRecord };

/** What a token stands for, without changing anything (GET and HEAD of the booking page). */
export async function lookupLink(tx: Tx, token: string, now = new Date()): Promise<LinkLookup> {
  if (!looksLikeToken(token)) return { state: 'unknown' };
  const link = await findLinkByTokenHash(tx, tokenHash(token));
  if (!link) return { state: 'unknown' };
  const calendar = await loadCalendar(tx, link.calendar_id);
  const usable = effectiveStatus(link, now) === 'active' && link.uses < link.max_uses;
  return { state: usable ? 'active' : 'gone', link, calendar };
}

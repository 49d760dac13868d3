import { z } from 'zod';
import { ValidationError } from '../../lib/errors';

/**
 * A place in a contact's timeline: an entry's time (UTC, microseconds, as src/lib/keyset-cursor.ts
 * carries it) and its key, which orders entries of the same microsecond. Entries are newest first
 * by (at, key), compared as plain strings: both are ASCII and fixed in shape, so JavaScript and the
 * client script compare them alike.
 */
export interface TimelinePosition {
  at: string;
  key: string;
}

const AT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
/** `<rank><kind>:<uuid>[:<seq>][:<event>]`, see contact-timeline-entries.ts. */
export const ENTRY_KEY = /^\d(run|step|message|link|appointment):[0-9a-f-]{36}(:\d{1,6})?(:[a-z_]{1,20})?$/;

const cursorSchema = z.tuple([z.string().regex(AT), z.string().regex(ENTRY_KEY)]);

export function encodeTimelineCursor(position: TimelinePosition): string {
  return Buffer.from(JSON.stringify([position.at, position.key])).toString('base64url');
}

/** The position a cursor stands for; a ValidationError at `field` for anything the page did not hand out. */
export function decodeTimelineCursor(cursor: string, field: string): TimelinePosition {
  let decoded: unknown;
  try {
    decoded = cursor.length <= 400 ? JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) : undefined;
  } catch {
    decoded = undefined;
  }
  const parsed = cursorSchema.safeParse(decoded);
  if (!parsed.success || Number.isNaN(Date.parse(parsed.data[0])))
    throw new ValidationError([{ path: field, message: 'not a place in this timeline' }]);
  return { at: parsed.data[0], key: parsed.data[1] };
}

/** Newest first: negative when `a` comes before (is newer than) `b`. */
export function compareNewestFirst(a: TimelinePosition, b: TimelinePosition): number {
  if (a.at !== b.at) return a.at > b.at ? -1 : 1;
  if (a.key !== b.key) return a.key > b.key ? -1 : 1;
  return 0;
}

/** The time `ms` milliseconds before a cursor time, as a cursor time. */
export function cursorTimeMinus(at: string, ms: number): string {
  const micros = at.slice(23, 26);
  return `${new Date(Date.parse(at) - ms).toISOString().slice(0, 23)}${micros}Z`;
}

import { DateTime } from 'luxon';

/**
 * How the console writes times and durations: pure functions of a value and a zone, so that every
 * page, and each viewer's zone, reads the same. The zone must already be canonical (see
 * canonicalZone): luxon keeps a formatter per zone name it is given.
 */

/** A Date, epoch ms or ISO string as a valid DateTime in `zone`; null for nothing or an invalid value. */
function toZoned(value: unknown, zone: string): DateTime | null {
  if (value === null || value === undefined || value === '') return null;
  const date = value instanceof Date ? value : typeof value === 'number' ? new Date(value) : new Date(String(value));
  if (Number.isNaN(date.getTime())) return null;
  const zoned = DateTime.fromJSDate(date, { zone });
  return zoned.isValid ? zoned : null;
}

const NUMERIC_OFFSET = /^GMT[+-]/;

/**
 * The zone's short name at that moment: "CET", "EST", "BST", "UTC", else "GMT+9". Each locale knows
 * the abbreviations of its own region (en-GB: CET, en-US: EST), so the first one that is a name wins.
 */
function zoneAbbreviation(zoned: DateTime): string {
  const british = zoned.setLocale('en-GB').toFormat('ZZZZ');
  if (!NUMERIC_OFFSET.test(british)) return british;
  const american = zoned.setLocale('en-US').toFormat('ZZZZ');
  return NUMERIC_OFFSET.test(american) ? british : american;
}

/** `Fri 4 Dec 2026, 21:58 CET`; '—' for no time. */
export function formatDateTime(value: unknown, zone: string): string {
  const zoned = toZoned(value, zone);
  if (!zoned) return '—';
  return `${zoned.setLocale('en-GB').toFormat('ccc d LLL yyyy, HH:mm')} ${zoneAbbreviation(zoned)}`;
}

/** `Fri 4 Dec, 21:58 CET` within the year of `now` (in the zone), else with the year; '—' for no time. */
export function formatShortDateTime(value: unknown, zone: string, now: Date = new Date()): string {
  const zoned = toZoned(value, zone);
  if (!zoned) return '—';
  const sameYear = zoned.year === DateTime.fromJSDate(now, { zone }).year;
  const pattern = sameYear ? 'ccc d LLL, HH:mm' : 'ccc d LLL yyyy, HH:mm';
  return `${zoned.setLocale('en-GB').toFormat(pattern)} ${zoneAbbreviation(zoned)}`;
}

const plural = (count: number, unit: string): string => `${count} ${unit}${count === 1 ? '' : 's'}`;
const pair = (big: string, small: number, smallUnit: string): string =>
  small === 0 ? big : `${big} ${small} ${smallUnit}`;

/**
 * Milliseconds in words, to the precision a person reads: `350 ms`, `2.5 s`, `42 s`, `1 min 2 s`,
 * `3 h 5 min`, `2 days 4 h`. Each range rounds first, so 59.6 s reads "1 min", never "60 s".
 * '—' for a negative or non-finite value.
 */
export function formatDuration(ms: unknown): string {
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) return '—';
  if (Math.round(ms) < 1000) return `${Math.round(ms)} ms`;
  const tenths = Math.round(ms / 100);
  if (tenths < 100) return `${tenths / 10} s`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return pair(`${Math.floor(seconds / 60)} min`, seconds % 60, 's');
  const minutes = Math.round(ms / 60_000);
  if (minutes < 24 * 60) return pair(`${Math.floor(minutes / 60)} h`, minutes % 60, 'min');
  const hours = Math.round(ms / 3_600_000);
  return pair(plural(Math.floor(hours / 24), 'day'), hours % 24, 'h');
}

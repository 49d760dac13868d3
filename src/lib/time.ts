import { DateTime } from 'luxon';
import { canonicalZone } from './time-zone';

/** The first valid IANA zone of: the given one, the contact's, the account's; else UTC. Invalid ones are skipped. */
export function contextZone(root: unknown, preferred?: unknown): string {
  const record = (typeof root === 'object' && root !== null ? root : {}) as Record<string, unknown>;
  const zoneOf = (key: string): unknown => {
    const owner = Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
    if (typeof owner !== 'object' || owner === null) return undefined;
    return Object.prototype.hasOwnProperty.call(owner, 'timezone')
      ? (owner as Record<string, unknown>).timezone
      : undefined;
  };
  for (const zone of [preferred, zoneOf('contact'), zoneOf('account')]) {
    // Canonical, so that luxon's per-name zone cache holds one entry per zone, whatever the spelling.
    const canonical = canonicalZone(zone);
    if (canonical !== null) return canonical;
  }
  return 'UTC';
}

/** A Date, epoch milliseconds or an ISO-8601 string as a luxon DateTime (possibly invalid). */
export function toDateTime(value: unknown, zone = 'UTC'): DateTime {
  if (value instanceof Date) return DateTime.fromJSDate(value, { zone });
  if (typeof value === 'number') return DateTime.fromMillis(value, { zone });
  if (typeof value === 'string' && value.trim() !== '') return DateTime.fromISO(value.trim(), { zone });
  return DateTime.invalid('not a date');
}

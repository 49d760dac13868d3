import { DateTime } from 'luxon';
import type { Slot } from '../../booking/slots';
import { canonicalZone } from '../../lib/time-zone';

/** Days of slots one page shows; "Later dates" pages on. */
export const DAYS_PER_PAGE = 7;

/**
 * The canonical name of the first valid zone of the candidates (the `tz` field, the contact's, the
 * calendar's). Canonical, never as typed: luxon caches per zone name for the life of the process.
 */
export function visitorZone(...candidates: unknown[]): string {
  for (const zone of candidates) {
    const canonical = canonicalZone(zone);
    if (canonical !== null) return canonical;
  }
  return 'UTC';
}

/** "Monday, March 9, 2026 at 9:00 AM EDT" in the visitor's zone. */
export function formatWhen(date: Date | string, zone: string): string {
  const value = typeof date === 'string' ? DateTime.fromISO(date) : DateTime.fromJSDate(date);
  return value.setZone(zone).setLocale('en-US').toFormat("cccc, LLLL d, yyyy 'at' h:mm a ZZZZ");
}

export interface SlotDay {
  date: string;
  label: string;
  slots: { start: string; label: string; checked: boolean }[];
}

/** Slots grouped by the visitor's local day, labelled in the visitor's zone. */
export function slotDays(slots: Slot[], zone: string, checked?: string): SlotDay[] {
  const days = new Map<string, SlotDay>();
  for (const slot of slots) {
    const local = DateTime.fromJSDate(slot.start, { zone }).setLocale('en-US');
    const date = local.toISODate()!;
    let day = days.get(date);
    if (!day) {
      day = { date, label: local.toFormat('cccc, LLLL d'), slots: [] };
      days.set(date, day);
    }
    const start = slot.start.toISOString();
    day.slots.push({ start, label: local.toFormat('h:mm a'), checked: start === checked });
  }
  return [...days.values()];
}

export interface DayPage {
  from: Date;
  to: Date;
  /** `date` of the previous and next page, null at the ends. */
  previous: string | null;
  next: string | null;
}

/**
 * The days one page shows, from `date` (YYYY-MM-DD in the visitor's zone; default today), bounded by
 * today and the end of the booking window.
 */
export function dayPage(date: unknown, zone: string, now: Date, windowEnd: Date): DayPage {
  const today = DateTime.fromJSDate(now, { zone }).startOf('day');
  const asked =
    typeof date === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(date)
      ? DateTime.fromISO(date, { zone }).startOf('day')
      : today;
  const last = DateTime.fromJSDate(windowEnd, { zone }).startOf('day');
  const start = !asked.isValid || asked < today ? today : asked > last ? last : asked;
  const end = start.plus({ days: DAYS_PER_PAGE });
  const previous = start > today ? DateTime.max(today, start.minus({ days: DAYS_PER_PAGE })).toISODate() : null;
  return { from: start.toJSDate(), to: end.toJSDate(), previous, next: end <= last ? end.toISODate() : null };
}

let zoneNames: string[] | undefined;

/** Every IANA zone the runtime knows, for the no-JavaScript time-zone picker. */
export function zoneOptions(selected: string): { value: string; label: string; selected: boolean }[] {
  zoneNames ??= Intl.supportedValuesOf('timeZone');
  const names = zoneNames.includes(selected) ? zoneNames : [selected, ...zoneNames];
  return names.map((name) => ({ value: name, label: name.replace(/_/g, ' '), selected: name === selected }));
}

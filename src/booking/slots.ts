import { DateTime } from 'luxon';
import { WEEKDAYS, clockMinutes, type AvailabilityRange } from './calendar-schema';

/** What decides where a calendar's slots are. */
export interface SlotRules {
  timezone: string;
  durationMinutes: number;
  availability: AvailabilityRange[];
  bookingWindowDays: number;
  minNoticeMinutes: number;
}

export interface Slot {
  start: Date;
  end: Date;
}

const MINUTE_MS = 60_000;

/** Slots may start from now + notice up to now + the booking window (inclusive). */
export function bookableWindow(rules: SlotRules, now: Date): { earliest: Date; latest: Date } {
  return {
    earliest: new Date(now.getTime() + rules.minNoticeMinutes * MINUTE_MS),
    latest: new Date(now.getTime() + rules.bookingWindowDays * 24 * 60 * MINUTE_MS),
  };
}

/** Wall-clock time `minutes` after local midnight of `day`; 1440 is the next local midnight. */
function atClock(day: DateTime, minutes: number): DateTime {
  if (minutes >= 24 * 60) return day.plus({ days: 1 }).startOf('day');
  // set() keeps wall-clock time across DST: 09:00 stays 09:00 whatever the offset of that day.
  return day.set({ hour: Math.floor(minutes / 60), minute: minutes % 60, second: 0, millisecond: 0 });
}

/**
 * Every slot of the weekly availability that starts in [from, to), ignoring bookings and the
 * booking window. Computed day by day in the calendar's zone, so a DST change moves the UTC time
 * of a slot, never its local time. Ranges are sliced from their start in steps of the duration.
 */
export function availabilitySlots(rules: SlotRules, from: Date, to: Date): Slot[] {
  const byStart = new Map<number, Slot>();
  const durationMs = rules.durationMinutes * MINUTE_MS;
  let day = DateTime.fromJSDate(from, { zone: rules.timezone }).startOf('day');
  while (day.toMillis() < to.getTime()) {
    const weekday = WEEKDAYS[day.weekday - 1];
    for (const range of rules.availability) {
      if (range.day !== weekday) continue;
      const rangeEnd = atClock(day, clockMinutes(range.end)).toMillis();
      let start = atClock(day, clockMinutes(range.start)).toMillis();
      // Absolute steps: on a DST day a range is as long as the clocks say, no slot is lost or doubled.
      for (; start + durationMs <= rangeEnd; start += durationMs) {
        if (start >= from.getTime() && start < to.getTime())
          byStart.set(start, { start: new Date(start), end: new Date(start + durationMs) });
      }
    }
    day = day.plus({ days: 1 }).startOf('day');
  }
  return [...byStart.values()].sort((a, b) => a.start.getTime() - b.start.getTime());
}

export interface FreeSlotsOptions {
  from: Date;
  to: Date;
  now: Date;
  /** Booked appointments of the calendar; they never overlap one another. */
  booked: Slot[];
}

/** Slots in [from, to) inside the booking window that overlap no booked appointment. */
export function freeSlots(rules: SlotRules, options: FreeSlotsOptions): Slot[] {
  const window = bookableWindow(rules, options.now);
  const from = new Date(Math.max(options.from.getTime(), window.earliest.getTime()));
  const to = new Date(Math.min(options.to.getTime(), window.latest.getTime() + 1));
  if (from >= to) return [];
  const booked = [...options.booked].sort((a, b) => a.start.getTime() - b.start.getTime());
  let next = 0;
  return availabilitySlots(rules, from, to).filter((slot) => {
    // Booked ranges do not overlap, so their ends are sorted too: skip those that ended before this slot.
    while (next < booked.length && booked[next]!.end <= slot.start) next++;
    const candidate = booked[next];
    return !(candidate && candidate.start < slot.end && candidate.end > slot.start);
  });
}

/** The slot that starts exactly at `start`, when it is on the availability grid and inside the window. */
export function slotStartingAt(rules: SlotRules, start: Date, now: Date): Slot | null {
  const window = bookableWindow(rules, now);
  if (start < window.earliest || start > window.latest) return null;
  if (!gridStartsOfUtcDay(rules, Math.floor(start.getTime() / DAY_MS)).has(start.getTime())) return null;
  return { start, end: new Date(start.getTime() + rules.durationMinutes * MINUTE_MS) };
}

const DAY_MS = 24 * 60 * MINUTE_MS;
/** UTC days of grids kept, across calendars: a few hundred kilobytes at most. */
export const GRID_CACHE_DAYS = 2000;
const gridCache = new Map<string, ReadonlySet<number>>();

/**
 * The grid's slot starts (epoch ms) in one UTC day, computed once per rules and day: every booking
 * checks its start against it, and the zone arithmetic is most of a booking's CPU in the API
 * otherwise. Keyed by the rules themselves (zone, duration, availability), so an edited calendar
 * gets a new entry; the oldest entries go first.
 */
function gridStartsOfUtcDay(rules: SlotRules, day: number): ReadonlySet<number> {
  const key = `${day}|${rules.timezone}|${rules.durationMinutes}|${JSON.stringify(rules.availability)}`;
  let starts = gridCache.get(key);
  if (!starts) {
    const from = new Date(day * DAY_MS);
    starts = new Set(
      availabilitySlots(rules, from, new Date(from.getTime() + DAY_MS)).map((slot) => slot.start.getTime()),
    );
    if (gridCache.size >= GRID_CACHE_DAYS) gridCache.delete(gridCache.keys().next().value!);
    gridCache.set(key, starts);
  }
  return starts;
}

import { DateTime } from 'luxon';
import { WEEKDAYS, secondsOfDay, type SendingWindow } from '../definition/sending-window-schema';

export type { SendingWindow };

/** `day` at the local wall-clock time `seconds` after midnight (24:00 is the next midnight). */
function atSecondOfDay(day: DateTime, seconds: number): DateTime {
  if (seconds >= 86_400) return day.startOf('day').plus({ days: 1 });
  // Wall-clock, not elapsed time: 09:00 stays 09:00 on a DST day (a time in a DST gap moves forward).
  return day.set({
    hour: Math.floor(seconds / 3600),
    minute: Math.floor((seconds % 3600) / 60),
    second: seconds % 60,
    millisecond: 0,
  });
}

const weekdayOf = (date: DateTime): string => WEEKDAYS[date.weekday - 1]!;

/**
 * When the window next opens, as seen at `now` in `zone`; null when it is open now.
 * Windows are read in local time: "09:00" is nine in the morning in that zone, whatever its offset.
 */
export function nextWindowOpening(window: SendingWindow, now: Date, zone: string): Date | null {
  const local = DateTime.fromJSDate(now, { zone });
  const start = secondsOfDay(window.start);
  const end = secondsOfDay(window.end);
  const days = new Set<string>(window.days);
  if (days.has(weekdayOf(local))) {
    const opens = atSecondOfDay(local, start);
    const closes = atSecondOfDay(local, end);
    if (local >= opens && local < closes) return null;
    if (local < opens) return opens.toJSDate();
  }
  // Tomorrow at the latest, a week on at the most: one of the next seven days is in `days`.
  for (let offset = 1; offset <= 7; offset++) {
    const day = local.plus({ days: offset });
    if (days.has(weekdayOf(day))) return atSecondOfDay(day, start).toJSDate();
  }
  return null; // unreachable: `days` is never empty
}

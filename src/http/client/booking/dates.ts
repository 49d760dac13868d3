/**
 * Dates for the booking widget, with the browser's Intl only (no date library: the widget is meant
 * to be small). The server speaks ISO instants; the widget groups them by the local date of the
 * visitor's zone, a `DateKey` (YYYY-MM-DD). Arithmetic on DateKeys is plain calendar arithmetic in
 * UTC, where no day is 23 or 25 hours long.
 */

/** A date on the visitor's wall calendar: YYYY-MM-DD. */
export type DateKey = string;

/** A month of the wall calendar; `month` is 1–12. */
export interface Month {
  year: number;
  month: number;
}

const DAY_MS = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

/** Intl formatters are costly to build and the grid asks for hundreds of dates: one per zone and use. */
function formatter(key: string, make: () => Intl.DateTimeFormat): Intl.DateTimeFormat {
  let found = formatters.get(key);
  if (!found) {
    found = make();
    formatters.set(key, found);
  }
  return found;
}

/** The canonical name of a zone the browser knows, or null. */
export function canonicalZone(zone: string | null | undefined): string | null {
  if (!zone) return null;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

/** The zone the visitor's device is set to, when the browser says. */
export function deviceZone(): string | null {
  try {
    return canonicalZone(Intl.DateTimeFormat().resolvedOptions().timeZone);
  } catch {
    return null;
  }
}

/** The local date of an instant in a zone. */
export function dateKeyIn(instant: Date, zone: string): DateKey {
  const parts = formatter(`key:${zone}`, () =>
    Intl.DateTimeFormat('en-US', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }),
  ).formatToParts(instant);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year').padStart(4, '0')}-${part('month')}-${part('day')}`;
}

const utcOf = (key: DateKey): number => Date.parse(`${key}T00:00:00Z`);
const keyOfUtc = (ms: number): DateKey => new Date(ms).toISOString().slice(0, 10);

export const addDays = (key: DateKey, days: number): DateKey => keyOfUtc(utcOf(key) + days * DAY_MS);

/** 1 = Monday … 7 = Sunday. */
export const weekdayOf = (key: DateKey): number => ((new Date(utcOf(key)).getUTCDay() + 6) % 7) + 1;

export const monthOf = (key: DateKey): Month => ({ year: Number(key.slice(0, 4)), month: Number(key.slice(5, 7)) });

export function addMonths(month: Month, count: number): Month {
  const index = month.year * 12 + (month.month - 1) + count;
  return { year: Math.floor(index / 12), month: (index % 12) + 1 };
}

export const compareMonths = (a: Month, b: Month): number => a.year * 12 + a.month - (b.year * 12 + b.month);

export const monthKey = (month: Month): string => `${month.year}-${String(month.month).padStart(2, '0')}`;

export const firstOfMonth = (month: Month): DateKey => `${monthKey(month)}-01`;

export const lastOfMonth = (month: Month): DateKey => addDays(firstOfMonth(addMonths(month, 1)), -1);

/** `key` moved by whole months, its day clamped to the target month's length (31 Jan + 1 → 28 Feb). */
export function addMonthsToDate(key: DateKey, count: number): DateKey {
  const target = addMonths(monthOf(key), count);
  const day = Math.min(Number(key.slice(8, 10)), Number(lastOfMonth(target).slice(8, 10)));
  return `${monthKey(target)}-${String(day).padStart(2, '0')}`;
}

/** The weeks of a month as rows of 7 dates, starting on `firstDay` (1 = Monday … 7 = Sunday); null pads. */
export function monthWeeks(month: Month, firstDay: number): (DateKey | null)[][] {
  const first = firstOfMonth(month);
  const last = lastOfMonth(month);
  const lead = (weekdayOf(first) - firstDay + 7) % 7;
  const cells: (DateKey | null)[] = Array.from({ length: lead }, () => null);
  for (let day = first; day <= last; day = addDays(day, 1)) cells.push(day);
  while (cells.length % 7 !== 0) cells.push(null);
  return Array.from({ length: cells.length / 7 }, (_, row) => cells.slice(row * 7, row * 7 + 7));
}

/**
 * The instants to ask the server for, to know every slot of a month in any zone: its days in UTC
 * with a day's margin each side (zones lie within UTC−12 and UTC+14). 33 days at most, well inside
 * the 62 the server allows; the same range whatever the zone, so changing zone needs no new request.
 */
export function monthRange(month: Month): { from: string; to: string } {
  return {
    from: new Date(utcOf(firstOfMonth(month)) - DAY_MS).toISOString(),
    to: new Date(utcOf(firstOfMonth(addMonths(month, 1))) + DAY_MS).toISOString(),
  };
}

/** The first day of the week where the visitor lives (Sunday in the US, Monday in most of Europe). */
export function firstDayOfWeek(locale: string): number {
  try {
    const info = new Intl.Locale(locale) as Intl.Locale & {
      getWeekInfo?: () => { firstDay: number };
      weekInfo?: { firstDay: number };
    };
    return info.getWeekInfo?.().firstDay ?? info.weekInfo?.firstDay ?? 1;
  } catch {
    return 1;
  }
}

/** Date-only formats read a DateKey as that day in UTC, so no zone can move it. */
const dayFormat = (locale: string, options: Intl.DateTimeFormatOptions) =>
  formatter(`day:${locale}:${JSON.stringify(options)}`, () =>
    Intl.DateTimeFormat(locale, { ...options, timeZone: 'UTC' }),
  );

/** "Monday, March 9". */
export const formatDay = (key: DateKey, locale: string): string =>
  dayFormat(locale, { weekday: 'long', month: 'long', day: 'numeric' }).format(utcOf(key));

/** "March 2026". */
export const formatMonth = (month: Month, locale: string): string =>
  dayFormat(locale, { month: 'long', year: 'numeric' }).format(utcOf(firstOfMonth(month)));

/** Short weekday names in grid order: "Mon", "Tue", … */
export function weekdayNames(firstDay: number, locale: string): { short: string; long: string }[] {
  // 2024-01-01 was a Monday.
  return Array.from({ length: 7 }, (_, index) => {
    const key = addDays('2024-01-01', (firstDay - 1 + index) % 7);
    return {
      short: dayFormat(locale, { weekday: 'short' }).format(utcOf(key)),
      long: dayFormat(locale, { weekday: 'long' }).format(utcOf(key)),
    };
  });
}

/** "9:30 AM" in the zone. */
export const formatTime = (instant: Date, zone: string, locale: string): string =>
  formatter(`time:${locale}:${zone}`, () =>
    Intl.DateTimeFormat(locale, { timeZone: zone, hour: 'numeric', minute: '2-digit' }),
  ).format(instant);

/** "Monday, March 9, 2026 at 9:30 AM EDT" (as the locale words it). */
export const formatWhen = (instant: Date, zone: string, locale: string): string =>
  formatter(`when:${locale}:${zone}`, () =>
    Intl.DateTimeFormat(locale, {
      timeZone: zone,
      weekday: 'long',
      year: 'numeric',
      month: 'long',
      day: 'numeric',
      hour: 'numeric',
      minute: '2-digit',
      timeZoneName: 'short',
    }),
  ).format(instant);

/** "GMT+9" now in the zone, for the zone picker. */
export function zoneOffset(zone: string, now: Date): string {
  try {
    const parts = formatter(`offset:${zone}`, () =>
      Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'shortOffset' }),
    ).formatToParts(now);
    return parts.find((part) => part.type === 'timeZoneName')?.value ?? '';
  } catch {
    return '';
  }
}

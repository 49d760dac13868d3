import { DateTime } from 'luxon';

/**
 * An instant's wall-clock fields in a zone, read from one Intl formatter per zone made once per
 * process: luxon's `fromJSDate(…).toFormat(…)` asked Intl for the zone's offset at every call
 * (`formatToParts`), twice per appointment time, and parsed its format strings each time.
 */
const MAX_ZONES = 1000;
const formatters = new Map<string, Intl.DateTimeFormat | null>();

function formatterOf(zone: string): Intl.DateTimeFormat | null {
  let formatter = formatters.get(zone);
  if (formatter === undefined) {
    try {
      formatter = new Intl.DateTimeFormat('en-US', {
        timeZone: zone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
      });
    } catch {
      formatter = null; // not a zone Intl knows: luxon decides what it reads as
    }
    // Callers pass canonical names (canonicalZone): a few hundred at most. The bound is for any other caller.
    if (formatters.size >= MAX_ZONES) formatters.clear();
    formatters.set(zone, formatter);
  }
  return formatter;
}

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

const twoDigits = (value: number): string => (value < 10 ? `0${value}` : String(value));

/**
 * `Friday, 4 December 2026` and `09:30` for `date` in `zone`: what luxon's `cccc, d LLLL yyyy` and
 * `HH:mm` give in the en-GB locale (its English names, unpadded day, 24-hour clock), byte for byte
 * (test/unit/booking/time-text.test.ts compares them over every zone). Years outside 1000–9999 and
 * zones Intl refuses are left to luxon.
 */
export function dateAndTimeText(date: Date, zone: string): { date: string; time: string } {
  const formatter = formatterOf(zone);
  const year = date.getUTCFullYear();
  if (formatter === null || year < 1001 || year > 9998) return luxonDateAndTime(date, zone);
  let localYear = 0;
  let month = 0;
  let day = 0;
  let hour = 0;
  let minute = 0;
  for (const part of formatter.formatToParts(date)) {
    if (part.type === 'year') localYear = Number(part.value);
    else if (part.type === 'month') month = Number(part.value);
    else if (part.type === 'day') day = Number(part.value);
    else if (part.type === 'hour') hour = Number(part.value) % 24;
    else if (part.type === 'minute') minute = Number(part.value);
  }
  const weekday = new Date(Date.UTC(localYear, month - 1, day)).getUTCDay();
  return {
    date: `${WEEKDAYS[weekday]}, ${day} ${MONTHS[month - 1]} ${localYear}`,
    time: `${twoDigits(hour)}:${twoDigits(minute)}`,
  };
}

/** The definition: what the notifications always showed. */
export function luxonDateAndTime(date: Date, zone: string): { date: string; time: string } {
  const local = DateTime.fromJSDate(date, { zone }).setLocale('en-GB');
  return { date: local.toFormat('cccc, d LLLL yyyy'), time: local.toFormat('HH:mm') };
}

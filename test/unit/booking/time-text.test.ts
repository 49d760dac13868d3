import { dateAndTimeText, luxonDateAndTime } from '../../../src/booking/time-text';
import { mulberry32 } from '../../helpers/seeded-random';

const HOUR = 3600_000;

describe("an appointment's date and time as text", () => {
  it('reads as luxon reads it in every zone Intl knows, around the year and at its clock changes', () => {
    const random = mulberry32(4122026);
    const from = Date.UTC(1995, 0, 1);
    const to = Date.UTC(2080, 0, 1);
    for (const zone of Intl.supportedValuesOf('timeZone')) {
      const instants = Array.from({ length: 40 }, () => new Date(from + Math.floor(random() * (to - from))));
      // Every 15 minutes of the days around the usual clock changes (March, October, April, September, November).
      for (const day of [Date.UTC(2026, 2, 29), Date.UTC(2026, 9, 25), Date.UTC(2026, 3, 5), Date.UTC(2026, 8, 27)])
        for (let at = day - 24 * HOUR; at < day + 24 * HOUR; at += HOUR / 4) instants.push(new Date(at));
      for (const instant of instants) {
        const fast = dateAndTimeText(instant, zone);
        const luxon = luxonDateAndTime(instant, zone);
        if (fast.date !== luxon.date || fast.time !== luxon.time)
          expect({ zone, instant, ...fast }).toEqual({ zone, instant, ...luxon });
      }
    }
  });

  it.each([
    'UTC',
    'utc',
    'GMT',
    'Etc/GMT+5',
    'Etc/GMT-14',
    'Asia/Kolkata',
    'Europe/Kyiv',
    'US/Eastern',
    'europe/paris',
  ])('reads as luxon reads it in %s, with odd instants', (zone) => {
    const instants = [
      new Date(Date.UTC(2026, 11, 4, 8, 30)),
      new Date(Date.UTC(2026, 11, 31, 23, 59, 59, 999)),
      new Date(Date.UTC(2027, 0, 1, 0, 0, 0, 1)),
      new Date(Date.UTC(2028, 1, 29, 12)),
      new Date(Date.UTC(1001, 0, 1, 12)),
      new Date(Date.UTC(9998, 11, 31, 12)),
    ];
    for (const instant of instants) expect(dateAndTimeText(instant, zone)).toEqual(luxonDateAndTime(instant, zone));
  });

  it.each(['local', 'system', 'default', 'UTC+3', 'utc-05:30', 'Mars/Olympus', ''])(
    'leaves the zone %p to luxon, which decides what it reads as',
    (zone) => {
      const instant = new Date(Date.UTC(2026, 11, 4, 8, 30));
      expect(dateAndTimeText(instant, zone)).toEqual(luxonDateAndTime(instant, zone));
    },
  );

  it('leaves years outside 1001–9998 to luxon', () => {
    for (const instant of [
      new Date(Date.UTC(999, 5, 1)),
      new Date(Date.UTC(-50, 5, 1)),
      new Date(Date.UTC(10000, 5, 1)),
    ])
      expect(dateAndTimeText(instant, 'Europe/Paris')).toEqual(luxonDateAndTime(instant, 'Europe/Paris'));
  });
});

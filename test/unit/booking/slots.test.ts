import { DateTime } from 'luxon';
import { WEEKDAYS, type AvailabilityRange } from '../../../src/booking/calendar-schema';
import { availabilitySlots, freeSlots, slotStartingAt, type SlotRules } from '../../../src/booking/slots';

const NEW_YORK = 'America/New_York';
const weekdays = (start: string, end: string): AvailabilityRange[] =>
  (['mon', 'tue', 'wed', 'thu', 'fri'] as const).map((day) => ({ day, start, end }));

const rules = (overrides: Partial<SlotRules> = {}): SlotRules => ({
  timezone: NEW_YORK,
  durationMinutes: 30,
  availability: weekdays('09:00', '11:00'),
  bookingWindowDays: 60,
  minNoticeMinutes: 0,
  ...overrides,
});

const utc = (iso: string) => new Date(iso);
const local = (date: Date, zone = NEW_YORK) => DateTime.fromJSDate(date, { zone });

describe('computing slots', () => {
  it('slices each availability range by the duration, in the calendar zone', () => {
    const slots = availabilitySlots(rules(), utc('2026-01-05T00:00:00Z'), utc('2026-01-06T00:00:00Z'));
    expect(slots.map((slot) => local(slot.start).toFormat('HH:mm'))).toEqual(['09:00', '09:30', '10:00', '10:30']);
    expect(slots[0]!.start.toISOString()).toBe('2026-01-05T14:00:00.000Z');
    expect(slots[3]!.end.toISOString()).toBe('2026-01-05T16:00:00.000Z');
  });

  it.each([
    ['spring forward', '2026-03-08', '2026-03-06T14:00:00.000Z', '2026-03-09T13:00:00.000Z', -5, -4],
    ['fall back', '2026-11-01', '2026-10-30T13:00:00.000Z', '2026-11-02T14:00:00.000Z', -4, -5],
  ])(
    'keeps 09:00 local on both sides of the %s week of %s',
    (_name, sunday, fridayBefore, mondayAfter, offsetBefore, offsetAfter) => {
      const from = DateTime.fromISO(sunday, { zone: NEW_YORK }).minus({ days: 2 }).toJSDate(); // the Friday before
      const to = DateTime.fromISO(sunday, { zone: NEW_YORK }).plus({ days: 6 }).toJSDate();
      const slots = freeSlots(rules(), { from, to, now: from, booked: [] });
      const firstOfDay = new Map<string, Date>();
      for (const slot of slots) {
        const day = local(slot.start).toISODate()!;
        if (!firstOfDay.has(day)) firstOfDay.set(day, slot.start);
      }
      expect([...firstOfDay.values()].every((start) => local(start).toFormat('HH:mm') === '09:00')).toBe(true);
      expect(firstOfDay.size).toBe(6);
      const before = [...firstOfDay.values()][0]!;
      const after = [...firstOfDay.values()][1]!;
      expect(before.toISOString()).toBe(fridayBefore);
      expect(after.toISOString()).toBe(mondayAfter);
      expect(local(before).offset / 60).toBe(offsetBefore);
      expect(local(after).offset / 60).toBe(offsetAfter);
      // No weekend slots, four per weekday.
      expect(slots).toHaveLength(6 * 4);
    },
  );

  it('gives the real hours of a range that spans the spring-forward gap', () => {
    const sunday = rules({ availability: [{ day: 'sun', start: '01:00', end: '04:00' }], durationMinutes: 60 });
    const slots = availabilitySlots(sunday, utc('2026-03-08T00:00:00Z'), utc('2026-03-09T12:00:00Z'));
    // 01:00 EST to 04:00 EDT is two real hours.
    expect(slots.map((slot) => local(slot.start).toFormat('HH:mm ZZZZ'))).toEqual(['01:00 EST', '03:00 EDT']);
  });

  it('removes slots overlapping a booking and keeps the window and the notice', () => {
    const now = utc('2026-01-05T14:10:00Z'); // 09:10 in New York
    const booked = [{ start: utc('2026-01-05T15:00:00Z'), end: utc('2026-01-05T15:30:00Z') }];
    const calendar = rules({ minNoticeMinutes: 30, bookingWindowDays: 1 });
    const slots = freeSlots(calendar, { from: now, to: utc('2026-01-08T00:00:00Z'), now, booked });
    const labels = slots.map((slot) => local(slot.start).toFormat('ccc HH:mm'));
    // 09:00 and 09:30 are too soon, 10:00 is booked; Tuesday 09:00 is inside the 1-day window, 09:30 is not.
    expect(labels).toEqual(['Mon 10:30', 'Tue 09:00']);
  });

  it('accepts only starts on the grid, inside the window', () => {
    const now = utc('2026-01-01T00:00:00Z');
    expect(slotStartingAt(rules(), utc('2026-01-05T14:30:00Z'), now)?.end.toISOString()).toBe(
      '2026-01-05T15:00:00.000Z',
    );
    expect(slotStartingAt(rules(), utc('2026-01-05T14:15:00Z'), now)).toBeNull();
    expect(slotStartingAt(rules(), utc('2026-01-05T17:00:00Z'), now)).toBeNull();
    expect(slotStartingAt(rules(), utc('2026-01-04T14:00:00Z'), now)).toBeNull(); // a Sunday
    expect(slotStartingAt(rules({ bookingWindowDays: 3 }), utc('2026-01-05T14:00:00Z'), now)).toBeNull();
    expect(slotStartingAt(rules(), utc('2025-12-31T14:00:00Z'), now)).toBeNull(); // the past
  });

  it("answers from each UTC day's grid exactly what the slots of that instant say, across DST and far zones, and an edited calendar from its own grid", () => {
    const now = utc('2026-03-01T00:00:00Z');
    const cases: SlotRules[] = [
      rules(),
      rules({ timezone: 'Europe/Paris', durationMinutes: 45, availability: weekdays('08:15', '24:00') }),
      rules({ timezone: 'Pacific/Kiritimati', durationMinutes: 20, availability: weekdays('00:00', '03:00') }),
      rules({ timezone: 'America/Adak', durationMinutes: 60, availability: weekdays('18:00', '24:00') }),
    ];
    for (const calendar of cases) {
      // Every quarter hour from the spring-forward weeks of both continents.
      for (let at = utc('2026-03-06T00:00:00Z').getTime(); at < utc('2026-04-01T00:00:00Z').getTime(); at += 900_000) {
        const start = new Date(at);
        const [fresh] = availabilitySlots(calendar, start, new Date(at + 1));
        const expected = fresh && fresh.start.getTime() === at ? fresh : null;
        expect([start.toISOString(), slotStartingAt(calendar, start, now)]).toEqual([start.toISOString(), expected]);
      }
    }
    // The same day after the availability moved: the new grid, not the one cached for the old.
    expect(slotStartingAt(rules(), utc('2026-03-09T13:00:00Z'), now)).not.toBeNull();
    expect(
      slotStartingAt(rules({ availability: weekdays('13:00', '15:00') }), utc('2026-03-09T13:00:00Z'), now),
    ).toBeNull();
    expect(
      slotStartingAt(rules({ availability: weekdays('13:00', '15:00') }), utc('2026-03-09T17:00:00Z'), now),
    ).not.toBeNull();
  });

  it('ends a day at 24:00 and merges overlapping ranges', () => {
    const allDay = rules({
      availability: [
        ...WEEKDAYS.map((day) => ({ day, start: '00:00', end: '24:00' })),
        { day: 'mon', start: '00:00', end: '01:00' },
      ],
      durationMinutes: 60,
    });
    const slots = availabilitySlots(allDay, utc('2026-01-05T05:00:00Z'), utc('2026-01-06T05:00:00Z'));
    expect(slots).toHaveLength(24);
    expect(local(slots[23]!.start).toFormat('HH:mm')).toBe('23:00');
  });
});

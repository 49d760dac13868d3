import {
  addMonthsToDate,
  dateKeyIn,
  firstDayOfWeek,
  monthRange,
  monthWeeks,
  zoneOffset,
} from '../../../src/http/client/booking/dates';

describe("the booking widget's dates", () => {
  it("puts an instant on the visitor's wall calendar", () => {
    const instant = new Date('2026-03-09T23:30:00Z');
    expect(dateKeyIn(instant, 'UTC')).toBe('2026-03-09');
    expect(dateKeyIn(instant, 'Asia/Tokyo')).toBe('2026-03-10');
    expect(dateKeyIn(instant, 'Pacific/Kiritimati')).toBe('2026-03-10');
  });

  it('lays a month out in weeks from the locale’s first day, padded to whole weeks', () => {
    // March 2026 begins on a Sunday.
    const sundayFirst = monthWeeks({ year: 2026, month: 3 }, 7);
    expect(sundayFirst[0]).toEqual([
      '2026-03-01',
      '2026-03-02',
      '2026-03-03',
      '2026-03-04',
      '2026-03-05',
      '2026-03-06',
      '2026-03-07',
    ]);
    const mondayFirst = monthWeeks({ year: 2026, month: 3 }, 1);
    expect(mondayFirst[0]).toEqual([null, null, null, null, null, null, '2026-03-01']);
    expect(mondayFirst.at(-1)).toEqual(['2026-03-30', '2026-03-31', null, null, null, null, null]);
    expect(mondayFirst.flat().filter(Boolean)).toHaveLength(31);
  });

  it('asks for a month with a day to spare on each side, whatever the zone', () => {
    expect(monthRange({ year: 2026, month: 12 })).toEqual({
      from: '2026-11-30T00:00:00.000Z',
      to: '2027-01-02T00:00:00.000Z',
    });
    // Every local day of the month in the farthest zones lies inside it.
    const range = monthRange({ year: 2026, month: 2 });
    const firstInKiritimati = new Date('2026-01-31T10:00:00Z'); // 1 Feb, 00:00 at UTC+14
    const lastInBakerIsland = new Date('2026-03-01T11:59:00Z'); // 28 Feb, 23:59 at UTC−12
    expect(firstInKiritimati >= new Date(range.from)).toBe(true);
    expect(lastInBakerIsland < new Date(range.to)).toBe(true);
  });

  it('moves by months keeping the day where the month has it', () => {
    expect(addMonthsToDate('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonthsToDate('2026-03-15', -1)).toBe('2026-02-15');
    expect(addMonthsToDate('2026-12-05', 1)).toBe('2027-01-05');
  });

  it('knows where the week starts and a zone’s offset', () => {
    expect(firstDayOfWeek('en-US')).toBe(7);
    expect(firstDayOfWeek('de-DE')).toBe(1);
    expect(zoneOffset('Asia/Tokyo', new Date('2026-03-09T00:00:00Z'))).toBe('GMT+9');
    expect(zoneOffset('Not/AZone', new Date())).toBe('');
  });
});

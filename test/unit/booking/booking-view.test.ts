import { dayPage, slotDays, visitorZone, zoneOptions } from '../../../src/http/pages/booking-view';

describe('the booking page view', () => {
  it("takes the first valid zone: the visitor's, else the fallbacks", () => {
    expect(visitorZone('Asia/Tokyo', 'Europe/Paris')).toBe('Asia/Tokyo');
    expect(visitorZone('Mars/Base', undefined, 'Europe/Paris')).toBe('Europe/Paris');
    expect(visitorZone(['Asia/Tokyo'], null)).toBe('UTC');
  });

  it("groups slots by the visitor's local day", () => {
    const slots = ['2026-03-09T23:30:00Z', '2026-03-10T00:00:00Z', '2026-03-10T13:00:00Z'].map((start) => ({
      start: new Date(start),
      end: new Date(new Date(start).getTime() + 1800_000),
    }));
    const days = slotDays(slots, 'America/New_York', '2026-03-10T13:00:00.000Z');
    expect(days.map((day) => [day.label, day.slots.map((slot) => slot.label)])).toEqual([
      ['Monday, March 9', ['7:30 PM', '8:00 PM']],
      ['Tuesday, March 10', ['9:00 AM']],
    ]);
    expect(days[1]!.slots[0]!.checked).toBe(true);
    expect(slotDays(slots, 'UTC')).toHaveLength(2);
  });

  it('pages by a week between today and the end of the booking window', () => {
    const now = new Date('2026-03-02T12:00:00Z');
    const windowEnd = new Date('2026-03-30T12:00:00Z');
    const first = dayPage(undefined, 'UTC', now, windowEnd);
    expect([first.from.toISOString(), first.to.toISOString(), first.previous, first.next]).toEqual([
      '2026-03-02T00:00:00.000Z',
      '2026-03-09T00:00:00.000Z',
      null,
      '2026-03-09',
    ]);
    expect(dayPage('2026-03-12', 'UTC', now, windowEnd).previous).toBe('2026-03-05');
    expect(dayPage('2026-03-27', 'UTC', now, windowEnd).next).toBeNull();
    expect(dayPage('2020-01-01', 'UTC', now, windowEnd).from.toISOString()).toBe('2026-03-02T00:00:00.000Z');
    expect(dayPage('garbage', 'UTC', now, windowEnd).previous).toBeNull();
  });

  it('offers every zone, with the chosen one selected', () => {
    const options = zoneOptions('America/New_York');
    expect(options.filter((option) => option.selected)).toEqual([
      { value: 'America/New_York', label: 'America/New York', selected: true },
    ]);
    expect(options.length).toBeGreaterThan(300);
  });
});

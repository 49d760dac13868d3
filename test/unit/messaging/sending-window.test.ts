import { sendingWindowSchema } from '../../../src/definition/sending-window-schema';
import { nextWindowOpening } from '../../../src/messaging/sending-window';

const weekdays = sendingWindowSchema.parse({ days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '09:00', end: '18:00' });
const at = (iso: string) => new Date(iso);

describe('a sending window', () => {
  it('is open inside its hours on its days (end exclusive)', () => {
    expect(nextWindowOpening(weekdays, at('2025-03-12T10:00:00Z'), 'UTC')).toBeNull(); // a Wednesday
    expect(nextWindowOpening(weekdays, at('2025-03-12T09:00:00Z'), 'UTC')).toBeNull();
    expect(nextWindowOpening(weekdays, at('2025-03-12T18:00:00Z'), 'UTC')).toEqual(at('2025-03-13T09:00:00Z'));
  });

  it('opens later the same day, or on the next allowed day', () => {
    expect(nextWindowOpening(weekdays, at('2025-03-12T07:30:00Z'), 'UTC')).toEqual(at('2025-03-12T09:00:00Z'));
    expect(nextWindowOpening(weekdays, at('2025-03-14T19:00:00Z'), 'UTC')).toEqual(at('2025-03-17T09:00:00Z')); // Friday evening → Monday
    expect(nextWindowOpening(weekdays, at('2025-03-15T12:00:00Z'), 'UTC')).toEqual(at('2025-03-17T09:00:00Z')); // Saturday
  });

  it("reads the hours in the given zone's wall clock, across a DST change", () => {
    // 2025-03-09 is the US spring-forward Sunday; Monday 09:00 in New York is 13:00 UTC (EDT).
    expect(nextWindowOpening(weekdays, at('2025-03-08T15:00:00Z'), 'America/New_York')).toEqual(
      at('2025-03-10T13:00:00Z'),
    );
    // Before the change, 09:00 in New York is 14:00 UTC (EST).
    expect(nextWindowOpening(weekdays, at('2025-03-07T05:00:00Z'), 'America/New_York')).toEqual(
      at('2025-03-07T14:00:00Z'),
    );
    // 23:30 UTC on Wednesday is already Thursday 08:30 in Tokyo: opens half an hour later.
    expect(nextWindowOpening(weekdays, at('2025-03-12T23:30:00Z'), 'Asia/Tokyo')).toEqual(at('2025-03-13T00:00:00Z'));
  });

  it('accepts seconds, 24:00 as an end, and defaults to every day', () => {
    const late = sendingWindowSchema.parse({ start: '20:00:30', end: '24:00' });
    expect(late.days).toHaveLength(7);
    expect(nextWindowOpening(late, at('2025-03-15T23:59:59Z'), 'UTC')).toBeNull();
    expect(nextWindowOpening(late, at('2025-03-15T20:00:00Z'), 'UTC')).toEqual(at('2025-03-15T20:00:30Z'));
  });

  it('rejects an end before the start, bad times and unknown days', () => {
    expect(sendingWindowSchema.safeParse({ start: '18:00', end: '09:00' }).success).toBe(false);
    expect(sendingWindowSchema.safeParse({ start: '9:00', end: '18:00' }).success).toBe(false);
    expect(sendingWindowSchema.safeParse({ start: '24:00', end: '24:00' }).success).toBe(false);
    expect(sendingWindowSchema.safeParse({ days: ['monday'], start: '09:00', end: '18:00' }).success).toBe(false);
    expect(sendingWindowSchema.safeParse({ days: [], start: '09:00', end: '18:00' }).success).toBe(false);
  });
});

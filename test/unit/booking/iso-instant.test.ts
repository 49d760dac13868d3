import { bookingBodySchema } from '../../../src/http/routes/public-page-router';
import { isoInstant, slotRangeQuerySchema } from '../../../src/booking/slot-service';
import { ValidationError } from '../../../src/lib/errors';
import { parseOrThrow } from '../../../src/lib/zod-issues';

describe('an ISO-8601 instant at the boundary', () => {
  it('becomes the Date it names, an offset applied and a date alone its UTC midnight', () => {
    expect(isoInstant.parse('2026-03-09T14:00:00+01:00').toISOString()).toBe('2026-03-09T13:00:00.000Z');
    expect(isoInstant.parse('2026-03-09').toISOString()).toBe('2026-03-09T00:00:00.000Z');
  });

  it('is refused with its field and what to write, never parsed into an invalid date', () => {
    const refusal = (() => {
      try {
        parseOrThrow(slotRangeQuerySchema, { from: '2026-13-45T99:00:00Z' });
      } catch (error) {
        return error;
      }
    })();
    expect(refusal).toBeInstanceOf(ValidationError);
    expect((refusal as ValidationError).issues).toEqual([
      { path: 'from', message: 'must be an ISO-8601 date-time like 2026-03-09T13:00:00Z' },
    ]);
    expect(bookingBodySchema.safeParse({ start: 'tomorrow at nine' }).error?.issues[0]?.path).toEqual(['start']);
    expect(isoInstant.safeParse('x'.repeat(65)).success).toBe(false);
  });
});

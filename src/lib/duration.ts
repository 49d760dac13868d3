import { Duration } from 'luxon';
import { z } from 'zod';

const SHORT = /^(\d+)(ms|s|m|h|d|w)$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** Milliseconds of `30s`, `5m`, `2h`, `7d`, `1w`, `250ms` or an ISO-8601 duration (`PT5M`); null if not a duration. */
export function parseDuration(input: string): number | null {
  const text = input.trim();
  const short = SHORT.exec(text);
  if (short) return Number(short[1]) * UNIT_MS[short[2]!]!;
  if (!/^P/i.test(text)) return null;
  const iso = Duration.fromISO(text.toUpperCase());
  if (!iso.isValid) return null;
  // Months and years have no fixed length; luxon's casual conversion (30-day month) is what marketers expect.
  return iso.toMillis();
}

/** A duration in a definition: a string like `5m` / `PT5M`, or a number of milliseconds. Parses to ms. */
export const durationSchema = z.union([z.number().int().nonnegative(), z.string()]).transform((value, ctx) => {
  if (typeof value === 'number') return value;
  const ms = parseDuration(value);
  if (ms === null) {
    ctx.addIssue({
      code: 'custom',
      message: `'${value}' is not a duration (use 30s, 5m, 2h, 7d or ISO-8601 like PT5M)`,
    });
    return z.NEVER;
  }
  return ms;
});

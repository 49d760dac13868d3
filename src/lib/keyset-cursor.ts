import { DateTime } from 'luxon';
import { z } from 'zod';
import { ValidationError } from './errors';

/**
 * Opaque page cursors for keyset pagination on (a timestamp, id). The time is carried at microsecond
 * precision (PostgreSQL's), or pages would skip rows that share a millisecond.
 */
const CURSOR_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const cursorSchema = z.tuple([
  z
    .string()
    .regex(CURSOR_TIME)
    .refine((at) => DateTime.fromISO(at).isValid && DateTime.fromISO(at).year >= 1),
  z.uuid(),
]);

export interface CursorPosition {
  /** UTC time with six fractional digits, e.g. from SQL `to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`. */
  at: string;
  id: string;
}

/** SQL rendering a timestamptz column the way a cursor carries it. */
export const cursorTimeSql = (column: string): string =>
  `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

export function encodeCursor(position: CursorPosition): string {
  return Buffer.from(JSON.stringify([position.at, position.id])).toString('base64url');
}

/** The position a cursor stands for; a ValidationError at `cursor` for anything we did not hand out. */
export function decodeCursor(cursor: string): CursorPosition {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    decoded = undefined;
  }
  const parsed = cursorSchema.safeParse(decoded);
  if (!parsed.success) throw new ValidationError([{ path: 'cursor', message: 'not a cursor this API handed out' }]);
  return { at: parsed.data[0], id: parsed.data[1] };
}

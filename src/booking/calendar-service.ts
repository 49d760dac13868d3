import { randomBytes } from 'node:crypto';
import type { Tx } from '../db/data-source';
import { queryRows } from '../db/sql';
import { isUniqueViolation, isUuid } from '../contacts/contact-store';
import { NotFoundError } from '../lib/errors';
import { parseOrThrow } from '../lib/zod-issues';
import { SlugTakenError } from './booking-errors';
import {
  calendarInputSchema,
  calendarPatchSchema,
  type AvailabilityRange,
  type Calendar,
  type CalendarInput,
  type CalendarPatch,
  type CalendarRecord,
} from './calendar-schema';

const COLUMNS = `id, account_id, slug, name, timezone, duration_minutes, availability, booking_window_days,
  min_notice_minutes, owner_name, owner_email, created_at, updated_at`;

interface CalendarRow {
  id: string;
  account_id: string;
  slug: string;
  name: string;
  timezone: string;
  duration_minutes: number;
  availability: AvailabilityRange[];
  booking_window_days: number;
  min_notice_minutes: number;
  owner_name: string | null;
  owner_email: string | null;
  created_at: Date;
  updated_at: Date;
}

function toRecord(row: CalendarRow): CalendarRecord {
  return {
    id: row.id,
    accountId: row.account_id,
    name: row.name,
    slug: row.slug,
    timezone: row.timezone,
    durationMinutes: row.duration_minutes,
    availability: row.availability,
    bookingWindowDays: row.booking_window_days,
    minNoticeMinutes: row.min_notice_minutes,
    ownerName: row.owner_name,
    ownerEmail: row.owner_email,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** The API's view: a record without its account. */
export function toCalendarView(record: CalendarRecord): Calendar {
  const { accountId: _accountId, ...view } = record;
  return view;
}

/** "Sales Call!" → "sales-call"; "calendar" when nothing is left. */
function slugify(name: string): string {
  const base = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 50);
  return base || 'calendar';
}

/** Creates a calendar; a given slug taken by any calendar is a 409, a derived one gets a random suffix. */
export async function createCalendar(tx: Tx, accountId: string, input: CalendarInput): Promise<CalendarRecord> {
  const data = parseOrThrow(calendarInputSchema, input);
  const base = data.slug ?? slugify(data.name);
  for (let attempt = 0; attempt < 5; attempt++) {
    const slug = attempt === 0 ? base : `${base}-${randomBytes(3).toString('hex')}`;
    // ON CONFLICT DO NOTHING keeps the caller's transaction usable when the slug is taken.
    const rows: CalendarRow[] = await tx.query(
      `INSERT INTO calendars (account_id, slug, name, timezone, duration_minutes, availability, booking_window_days,
         min_notice_minutes, owner_name, owner_email)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       ON CONFLICT (slug) DO NOTHING RETURNING ${COLUMNS}`,
      [
        accountId,
        slug,
        data.name,
        data.timezone,
        data.durationMinutes,
        JSON.stringify(data.availability),
        data.bookingWindowDays,
        data.minNoticeMinutes,
        data.ownerName ?? null,
        data.ownerEmail ?? null,
      ],
    );
    if (rows[0]) return toRecord(rows[0]);
    if (data.slug) throw new SlugTakenError(data.slug);
  }
  throw new SlugTakenError(base);
}

/** A calendar of this account by id; another account's (or no uuid at all) is a 404. */
export async function getCalendar(tx: Tx, accountId: string, calendarId: string): Promise<CalendarRecord> {
  if (!isUuid(calendarId)) throw new NotFoundError('Calendar');
  const rows: CalendarRow[] = await tx.query(`SELECT ${COLUMNS} FROM calendars WHERE id = $1 AND account_id = $2`, [calendarId, accountId]);
  if (!rows[0]) throw new NotFoundError('Calendar');
  return toRecord(rows[0]);
}

/** A calendar of this account by id or slug (workflow configs name calendars either way); null if none. */
export async function findCalendarByRef(tx: Tx, accountId: string, ref: string): Promise<CalendarRecord | null> {
  const column = isUuid(ref) ? 'id' : 'slug';
  const rows: CalendarRow[] = await tx.query(`SELECT ${COLUMNS} FROM calendars WHERE ${column} = $1 AND account_id = $2`, [ref, accountId]);
  return rows[0] ? toRecord(rows[0]) : null;
}

/** Any account's calendar by id or slug, for the public scheduling pages; null if none. */
export async function findPublicCalendar(tx: Tx, ref: string): Promise<CalendarRecord | null> {
  const column = isUuid(ref) ? 'id' : 'slug';
  const rows: CalendarRow[] = await tx.query(`SELECT ${COLUMNS} FROM calendars WHERE ${column} = $1`, [ref]);
  return rows[0] ? toRecord(rows[0]) : null;
}

/** By id, for services that hold a calendar id from their own row. */
export async function loadCalendar(tx: Tx, calendarId: string): Promise<CalendarRecord> {
  const rows: CalendarRow[] = await tx.query(`SELECT ${COLUMNS} FROM calendars WHERE id = $1`, [calendarId]);
  if (!rows[0]) throw new NotFoundError('Calendar');
  return toRecord(rows[0]);
}

export async function listCalendars(tx: Tx, accountId: string): Promise<CalendarRecord[]> {
  const rows: CalendarRow[] = await tx.query(`SELECT ${COLUMNS} FROM calendars WHERE account_id = $1 ORDER BY created_at, id LIMIT 1000`, [accountId]);
  return rows.map(toRecord);
}

const PATCH_COLUMNS: Record<keyof CalendarPatch, string> = {
  name: 'name',
  slug: 'slug',
  timezone: 'timezone',
  durationMinutes: 'duration_minutes',
  availability: 'availability',
  bookingWindowDays: 'booking_window_days',
  minNoticeMinutes: 'min_notice_minutes',
  ownerName: 'owner_name',
  ownerEmail: 'owner_email',
};

/** Replaces the given fields. Existing appointments stay as booked, even outside new availability. */
export async function updateCalendar(tx: Tx, accountId: string, calendarId: string, patch: CalendarPatch): Promise<CalendarRecord> {
  const data = parseOrThrow(calendarPatchSchema, patch);
  await getCalendar(tx, accountId, calendarId);
  const entries = Object.entries(data).filter(([, value]) => value !== undefined) as [keyof CalendarPatch, unknown][];
  const sets = entries.map(([key], index) => `${PATCH_COLUMNS[key]} = $${index + 3}`);
  const values = entries.map(([key, value]) => (key === 'availability' ? JSON.stringify(value) : value));
  try {
    const rows = await queryRows<CalendarRow>(
      tx,
      `UPDATE calendars SET ${[...sets, 'updated_at = now()'].join(', ')} WHERE id = $1 AND account_id = $2 RETURNING ${COLUMNS}`,
      [calendarId, accountId, ...values],
    );
    return toRecord(rows[0]!);
  } catch (error) {
    if (isUniqueViolation(error) && data.slug) throw new SlugTakenError(data.slug);
    throw error;
  }
}

import type { Tx } from '../db/data-source';
import { queryRows } from '../db/sql';
import {
  DEFAULT_NOTIFICATIONS,
  type AvailabilityRange,
  type Calendar,
  type CalendarNotifications,
  type CalendarPatch,
  type CalendarRecord,
} from './calendar-schema';

/** Every statement on `calendars`. Callers get records (camelCase), never rows. */

/**
 * The version of the calendar row that the row named `alias` points to (by its `calendar_id`):
 * `<xmin>/<updated_at>`, which every update of the calendar changes. A statement that reads it with
 * its own rows lets the caller reuse a calendar parsed before (src/booking/calendar-cache.ts). Null if
 * the calendar is gone.
 */
export const calendarVersionOf = (alias: string): string =>
  `(SELECT c.xmin::text || '/' || c.updated_at::text FROM calendars c WHERE c.id = ${alias}.calendar_id)`;

const CALENDAR_COLUMNS = `id, account_id, slug, name, timezone, duration_minutes, availability, booking_window_days,
  min_notice_minutes, owner_name, owner_email, notifications, ask_phone, created_at, updated_at`;

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
  notifications: Partial<CalendarNotifications>;
  ask_phone: boolean;
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
    notifications: { ...DEFAULT_NOTIFICATIONS, ...row.notifications },
    askPhone: row.ask_phone,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** A validated calendar input with its slug decided: a calendar as the API shows it, before it has a row. */
export type NewCalendar = Omit<Calendar, 'id' | 'createdAt' | 'updatedAt'> & { accountId: string };

/** Null when the slug is taken (by any account's calendar): ON CONFLICT DO NOTHING keeps the caller's transaction usable. */
export async function insertCalendar(tx: Tx, calendar: NewCalendar): Promise<CalendarRecord | null> {
  const rows = await queryRows<CalendarRow>(
    tx,
    `INSERT INTO calendars (account_id, slug, name, timezone, duration_minutes, availability, booking_window_days,
       min_notice_minutes, owner_name, owner_email, notifications, ask_phone)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
     ON CONFLICT (slug) DO NOTHING RETURNING ${CALENDAR_COLUMNS}`,
    [
      calendar.accountId,
      calendar.slug,
      calendar.name,
      calendar.timezone,
      calendar.durationMinutes,
      JSON.stringify(calendar.availability),
      calendar.bookingWindowDays,
      calendar.minNoticeMinutes,
      calendar.ownerName,
      calendar.ownerEmail,
      JSON.stringify(calendar.notifications),
      calendar.askPhone,
    ],
  );
  return rows[0] ? toRecord(rows[0]) : null;
}

/** The calendar with this id or slug, of one account when `accountId` is given, else of any. */
export async function findCalendar(
  tx: Tx,
  key: { id: string } | { slug: string },
  accountId?: string,
): Promise<CalendarRecord | null> {
  const [column, value] = 'id' in key ? ['id', key.id] : ['slug', key.slug];
  const rows =
    accountId === undefined
      ? await queryRows<CalendarRow>(tx, `SELECT ${CALENDAR_COLUMNS} FROM calendars WHERE ${column} = $1`, [value])
      : await queryRows<CalendarRow>(
          tx,
          `SELECT ${CALENDAR_COLUMNS} FROM calendars WHERE ${column} = $1 AND account_id = $2`,
          [value, accountId],
        );
  return rows[0] ? toRecord(rows[0]) : null;
}

/** Oldest first, at most 1000. */
export async function selectCalendarsOfAccount(tx: Tx, accountId: string): Promise<CalendarRecord[]> {
  const rows = await queryRows<CalendarRow>(
    tx,
    `SELECT ${CALENDAR_COLUMNS} FROM calendars WHERE account_id = $1 ORDER BY created_at, id LIMIT 1000`,
    [accountId],
  );
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
  notifications: 'notifications',
  askPhone: 'ask_phone',
};

/** Sets the given fields (undefined ones stay); null when no calendar of this account has this id. A taken slug throws 23505. */
export async function updateCalendarFields(
  tx: Tx,
  accountId: string,
  calendarId: string,
  patch: CalendarPatch,
): Promise<CalendarRecord | null> {
  const entries = Object.entries(patch).filter(([, value]) => value !== undefined) as [keyof CalendarPatch, unknown][];
  // `notifications` merges: a PATCH may switch one of them and leave the other as it is.
  const sets = entries.map(([key], index) =>
    key === 'notifications'
      ? `notifications = notifications || $${index + 3}::jsonb`
      : `${PATCH_COLUMNS[key]} = $${index + 3}`,
  );
  const values = entries.map(([key, value]) =>
    key === 'availability' || key === 'notifications' ? JSON.stringify(value) : value,
  );
  const rows = await queryRows<CalendarRow>(
    tx,
    `UPDATE calendars SET ${[...sets, 'updated_at = now()'].join(', ')} WHERE id = $1 AND account_id = $2 RETURNING ${CALENDAR_COLUMNS}`,
    [calendarId, accountId, ...values],
  );
  return rows[0] ? toRecord(rows[0]) : null;
}

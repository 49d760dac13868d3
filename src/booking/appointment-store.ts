import type { Tx } from '../db/data-source';
import { queryRows } from '../db/sql';
import { accountVersionOf } from '../accounts/account-store';
import { isUuid } from '../contacts/contact-store';
import { calendarVersionOf } from './calendar-store';
import { NotFoundError, ValidationError } from '../lib/errors';
import { cursorTimeSql } from '../lib/keyset-cursor';
import { tokenHash } from '../lib/signed-tokens';
import type { Slot } from './slots';

/** Every statement on `appointments`. Tokens never reach this table: only sha256 of the reschedule and cancel tokens, and their salt. */

const APPOINTMENT_COLUMNS = `id, account_id, calendar_id, contact_id, link_id, start_at, end_at, status, token_salt,
  cancelled_at, created_at, updated_at`;

export interface AppointmentRow {
  id: string;
  account_id: string;
  calendar_id: string;
  contact_id: string;
  link_id: string | null;
  start_at: Date;
  end_at: Date;
  status: 'booked' | 'cancelled';
  token_salt: string;
  cancelled_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export async function getAppointmentRow(tx: Tx, accountId: string, appointmentId: string): Promise<AppointmentRow> {
  if (!isUuid(appointmentId)) throw new NotFoundError('Appointment');
  const rows = await queryRows<AppointmentRow>(
    tx,
    `SELECT ${APPOINTMENT_COLUMNS} FROM appointments WHERE id = $1 AND account_id = $2`,
    [appointmentId, accountId],
  );
  if (!rows[0]) throw new NotFoundError('Appointment');
  return rows[0];
}

/** The appointment a reschedule or cancel token belongs to; null for an unknown token. */
export async function findAppointmentByToken(
  tx: Tx,
  purpose: 'reschedule' | 'cancel',
  token: string,
  options: { forUpdate?: boolean } = {},
): Promise<AppointmentRow | null> {
  const column = purpose === 'reschedule' ? 'reschedule_token_hash' : 'cancel_token_hash';
  const rows = await queryRows<AppointmentRow>(
    tx,
    `SELECT ${APPOINTMENT_COLUMNS} FROM appointments WHERE ${column} = $1${options.forUpdate ? ' FOR UPDATE' : ''}`,
    [tokenHash(token)],
  );
  return rows[0] ?? null;
}

export interface AppointmentFilter {
  calendarId?: string;
  contactId?: string;
  status?: AppointmentRow['status'];
  limit: number;
  /** `nextCursor` of the previous page. */
  cursor?: string;
}

/** Earliest first, keyset-paginated on (start_at, id). */
export async function listAppointmentRows(
  tx: Tx,
  accountId: string,
  filter: AppointmentFilter,
): Promise<{ rows: AppointmentRow[]; nextCursor: string | null }> {
  const after = filter.cursor ? decodeCursor(filter.cursor) : null;
  if (filter.cursor && !after) throw new ValidationError([{ path: 'cursor', message: 'not a cursor of this list' }]);
  const rows = await queryRows<AppointmentRow>(
    tx,
    `SELECT ${APPOINTMENT_COLUMNS} FROM appointments
     WHERE account_id = $1 AND ($2::uuid IS NULL OR calendar_id = $2) AND ($3::uuid IS NULL OR contact_id = $3)
       AND ($4::text IS NULL OR status = $4) AND ($5::timestamptz IS NULL OR (start_at, id) > ($5, $6::uuid))
     ORDER BY start_at, id LIMIT $7`,
    [
      accountId,
      filter.calendarId ?? null,
      filter.contactId ?? null,
      filter.status ?? null,
      after?.start ?? null,
      after?.id ?? null,
      filter.limit + 1,
    ],
  );
  const page = rows.slice(0, filter.limit);
  const last = page[page.length - 1];
  const nextCursor = rows.length > filter.limit && last ? encodeCursor(last.start_at, last.id) : null;
  return { rows: page, nextCursor };
}

export interface NewAppointment {
  id: string;
  accountId: string;
  calendarId: string;
  contactId: string;
  linkId: string | null;
  slot: Slot;
  salt: string;
  rescheduleTokenHash: string;
  cancelTokenHash: string;
}

/** The appointment's columns of a row named `alias` (for a statement that reads bookedAppointmentInsertCte's rows). */
export function appointmentColumnsOf(alias: string): string {
  return APPOINTMENT_COLUMNS.split(',')
    .map((column) => `${alias}.${column.trim()}`)
    .join(', ');
}

/**
 * The INSERT of booked appointments as the CTE `name` of a larger statement (a link spent and its
 * booking in one round trip, src/links/link-store.ts): one row per row of `source`, a SELECT of (id,
 * account_id, calendar_id, contact_id, link_id, start_at, end_at, token_salt, reschedule_token_hash,
 * cancel_token_hash), returning the appointment's columns. An overlap with a booked appointment fails
 * the whole statement with 23P01, as insertAppointment does.
 */
export function bookedAppointmentInsertCte(options: { name: string; source: string }): string {
  return `${options.name} AS (
       INSERT INTO appointments (id, account_id, calendar_id, contact_id, link_id, start_at, end_at, status, token_salt,
         reschedule_token_hash, cancel_token_hash)
       SELECT s.id, s.account_id, s.calendar_id, s.contact_id, s.link_id, s.start_at, s.end_at, 'booked', s.token_salt,
              s.reschedule_token_hash, s.cancel_token_hash
         FROM (${options.source}) s
       RETURNING ${APPOINTMENT_COLUMNS}
     )`;
}

/** A booked appointment. One overlapping a booked one fails with 23P01 (the exclusion constraint), after the other commits. */
export async function insertAppointment(tx: Tx, appointment: NewAppointment): Promise<AppointmentRow> {
  const rows = await queryRows<AppointmentRow>(
    tx,
    `INSERT INTO appointments (id, account_id, calendar_id, contact_id, link_id, start_at, end_at, status, token_salt,
       reschedule_token_hash, cancel_token_hash)
     VALUES ($1, $2, $3, $4, $5, $6, $7, 'booked', $8, $9, $10) RETURNING ${APPOINTMENT_COLUMNS}`,
    [
      appointment.id,
      appointment.accountId,
      appointment.calendarId,
      appointment.contactId,
      appointment.linkId,
      appointment.slot.start,
      appointment.slot.end,
      appointment.salt,
      appointment.rescheduleTokenHash,
      appointment.cancelTokenHash,
    ],
  );
  return rows[0]!;
}

/** The appointment's time, its row locked until the caller's transaction ends; null if there is no such appointment. */
export async function lockAppointmentTime(
  tx: Tx,
  appointmentId: string,
): Promise<{ start_at: Date; end_at: Date } | null> {
  const rows = await queryRows<{ start_at: Date; end_at: Date }>(
    tx,
    'SELECT start_at, end_at FROM appointments WHERE id = $1 FOR UPDATE',
    [appointmentId],
  );
  return rows[0] ?? null;
}

/** Null when it is not booked (any more). An overlap with another booked appointment fails with 23P01. */
export async function moveBookedAppointment(tx: Tx, appointmentId: string, slot: Slot): Promise<AppointmentRow | null> {
  const rows = await queryRows<AppointmentRow>(
    tx,
    `UPDATE appointments SET start_at = $2, end_at = $3, updated_at = now() WHERE id = $1 AND status = 'booked'
     RETURNING ${APPOINTMENT_COLUMNS}`,
    [appointmentId, slot.start, slot.end],
  );
  return rows[0] ?? null;
}

/** Null when it is not booked (any more): the status flip is what makes a cancellation happen once. */
export async function markAppointmentCancelled(tx: Tx, appointmentId: string): Promise<AppointmentRow | null> {
  const rows = await queryRows<AppointmentRow>(
    tx,
    `UPDATE appointments SET status = 'cancelled', cancelled_at = now(), updated_at = now() WHERE id = $1 AND status = 'booked'
     RETURNING ${APPOINTMENT_COLUMNS}`,
    [appointmentId],
  );
  return rows[0] ?? null;
}

/** The appointment with the name of its calendar (for templates), of this account; null if none. */
export async function findAppointmentWithCalendarName(
  tx: Tx,
  accountId: string,
  appointmentId: string,
): Promise<(AppointmentRow & { calendar_name: string }) | null> {
  const rows = await queryRows<AppointmentRow & { calendar_name: string }>(
    tx,
    `SELECT ${APPOINTMENT_COLUMNS}, (SELECT name FROM calendars WHERE calendars.id = appointments.calendar_id) AS calendar_name
     FROM appointments WHERE id = $1 AND account_id = $2`,
    [appointmentId, accountId],
  );
  return rows[0] ?? null;
}

/** An appointment as its emails read it: with its calendar's name and the versions of its calendar's and account's rows. */
export interface AppointmentToNotify extends AppointmentRow {
  calendar_name: string;
  /** See calendarVersionOf (calendar-store.ts): the calendar parsed before is reused while it matches. */
  calendar_version: string | null;
  /** See accountVersionOf (account-store.ts): the account read before is reused while it matches. */
  account_version: string | null;
}

/** The appointments of these ids, each with the name of its calendar (findAppointmentWithCalendarName's rows, any account) and the versions above. */
export async function findAppointmentsWithCalendarName(
  tx: Tx,
  appointmentIds: string[],
): Promise<AppointmentToNotify[]> {
  if (appointmentIds.length === 0) return [];
  return queryRows<AppointmentToNotify>(
    tx,
    `SELECT ${APPOINTMENT_COLUMNS}, (SELECT name FROM calendars WHERE calendars.id = appointments.calendar_id) AS calendar_name,
            ${calendarVersionOf('appointments')} AS calendar_version, ${accountVersionOf('appointments')} AS account_version
     FROM appointments WHERE id = ANY ($1::uuid[])`,
    [appointmentIds],
    // Parsed and planned once per connection: each booking's emails begin with it.
    { prepare: 'appointments-to-notify' },
  );
}

/** Booked appointments of a calendar that end after `from` and start before `until`, earliest first. */
export async function selectBookedTimes(
  tx: Tx,
  calendarId: string,
  from: Date,
  until: Date,
): Promise<{ start_at: Date; end_at: Date }[]> {
  return queryRows<{ start_at: Date; end_at: Date }>(
    tx,
    `SELECT start_at, end_at FROM appointments
     WHERE calendar_id = $1 AND status = 'booked' AND end_at > $2 AND start_at < $3 ORDER BY start_at`,
    [calendarId, from, until],
  );
}

export interface UpcomingAppointmentRow {
  id: string;
  start_at: Date;
  end_at: Date;
  calendar_id: string;
  calendar_name: string;
  contact_id: string;
  email: string | null;
  phone: string | null;
  first_name: string | null;
  last_name: string | null;
}

/** Booked appointments that have not ended yet, soonest first, with their calendar's name and their contact's. */
export async function selectUpcomingAppointments(
  tx: Tx,
  accountId: string,
  options: { calendarId: string | null; limit: number },
): Promise<UpcomingAppointmentRow[]> {
  return queryRows<UpcomingAppointmentRow>(
    tx,
    `SELECT a.id, a.start_at, a.end_at, a.calendar_id, c.name AS calendar_name, a.contact_id,
            ct.email, ct.phone, ct.first_name, ct.last_name
       FROM appointments a
       JOIN calendars c ON c.id = a.calendar_id
       JOIN contacts ct ON ct.id = a.contact_id
      WHERE a.account_id = $1 AND a.status = 'booked' AND a.end_at > now() AND ($2::uuid IS NULL OR a.calendar_id = $2)
      ORDER BY a.start_at, a.id LIMIT $3`,
    [accountId, options.calendarId, options.limit],
  );
}

function encodeCursor(start: Date, id: string): string {
  return Buffer.from(JSON.stringify([start.toISOString(), id])).toString('base64url');
}

function decodeCursor(cursor: string): { start: string; id: string } | null {
  try {
    const [start, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as unknown[];
    if (typeof start === 'string' && !Number.isNaN(Date.parse(start)) && typeof id === 'string' && isUuid(id))
      return { start, id };
  } catch {
    // fall through: a cursor we did not write
  }
  return null;
}

/**
 * The booking time of the contact's (offset + 1)-th newest appointment among those booked before
 * `before` (all when null); null when there is none. The contact timeline's lower bound: a contact
 * has few appointments, so appointments_contact and a sort of theirs are enough.
 */
export async function contactAppointmentBookedAt(
  tx: Tx,
  options: { accountId: string; contactId: string; before: string | null; offset: number },
): Promise<string | null> {
  const rows = await queryRows<{ at: string }>(
    tx,
    `SELECT ${cursorTimeSql('created_at')} AS at FROM appointments
     WHERE contact_id = $1 AND account_id = $2 AND ($3::timestamptz IS NULL OR created_at < $3)
     ORDER BY created_at DESC, id DESC OFFSET $4 LIMIT 1`,
    [options.contactId, options.accountId, options.before, options.offset],
  );
  return rows[0]?.at ?? null;
}

/** An appointment as the contact timeline shows it: booked, last changed and cancelled as cursor times, its calendar's name. */
export interface TimelineAppointmentRow {
  id: string;
  calendar_id: string;
  calendar_name: string | null;
  status: AppointmentRow['status'];
  start_at: Date;
  end_at: Date;
  created_at_us: string;
  updated_at_us: string;
  cancelled_at_us: string | null;
}

/**
 * The contact's appointments booked by `until` and changed (booked, moved or cancelled) at or after
 * `since` (either bound open when null), newest first, at most `limit`. Joins the calendar for its
 * name; answers about appointments.
 */
export async function selectContactAppointmentsInWindow(
  tx: Tx,
  options: { accountId: string; contactId: string; since: string | null; until: string | null; limit: number },
): Promise<TimelineAppointmentRow[]> {
  return queryRows<TimelineAppointmentRow>(
    tx,
    `SELECT a.id, a.calendar_id, (SELECT name FROM calendars c WHERE c.id = a.calendar_id) AS calendar_name, a.status,
       a.start_at, a.end_at, ${cursorTimeSql('a.created_at')} AS created_at_us, ${cursorTimeSql('a.updated_at')} AS updated_at_us,
       ${cursorTimeSql('a.cancelled_at')} AS cancelled_at_us
     FROM appointments a
     WHERE a.contact_id = $1 AND a.account_id = $2 AND ($3::timestamptz IS NULL OR a.created_at <= $3)
       AND ($4::timestamptz IS NULL OR a.updated_at >= $4)
     ORDER BY a.created_at DESC, a.id DESC LIMIT $5`,
    [options.contactId, options.accountId, options.until, options.since, options.limit],
  );
}

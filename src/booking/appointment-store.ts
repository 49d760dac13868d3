import type { Tx } from '../db/data-source';
import { isUuid } from '../contacts/contact-store';
import { NotFoundError, ValidationError } from '../lib/errors';
import { deriveToken, tokenHash, type UrlSigner } from '../lib/signed-tokens';

export const APPOINTMENT_COLUMNS = `id, account_id, calendar_id, contact_id, link_id, start_at, end_at, status, token_salt,
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

/** What a booking person gets back: the time and their own reschedule and cancel links. */
export interface PublicAppointment {
  id: string;
  start: string;
  end: string;
  status: AppointmentRow['status'];
  rescheduleUrl: string;
  cancelUrl: string;
}

/** The API's view of an appointment. */
export interface Appointment extends PublicAppointment {
  calendarId: string;
  contactId: string;
  linkId: string | null;
  cancelledAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export function appointmentTokens(urls: UrlSigner, id: string, salt: string): { reschedule: string; cancel: string } {
  return {
    reschedule: deriveToken(urls.secret, 'appointment.reschedule', id, salt),
    cancel: deriveToken(urls.secret, 'appointment.cancel', id, salt),
  };
}

export function toPublicAppointment(row: AppointmentRow, urls: UrlSigner): PublicAppointment {
  const tokens = appointmentTokens(urls, row.id, row.token_salt);
  return {
    id: row.id,
    start: row.start_at.toISOString(),
    end: row.end_at.toISOString(),
    status: row.status,
    rescheduleUrl: `${urls.publicUrl}/book/reschedule/${tokens.reschedule}`,
    cancelUrl: `${urls.publicUrl}/book/cancel/${tokens.cancel}`,
  };
}

export function toAppointment(row: AppointmentRow, urls: UrlSigner): Appointment {
  return {
    ...toPublicAppointment(row, urls),
    calendarId: row.calendar_id,
    contactId: row.contact_id,
    linkId: row.link_id,
    cancelledAt: row.cancelled_at?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export async function getAppointmentRow(tx: Tx, accountId: string, appointmentId: string): Promise<AppointmentRow> {
  if (!isUuid(appointmentId)) throw new NotFoundError('Appointment');
  const rows: AppointmentRow[] = await tx.query(`SELECT ${APPOINTMENT_COLUMNS} FROM appointments WHERE id = $1 AND account_id = $2`, [
    appointmentId,
    accountId,
  ]);
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
  const rows: AppointmentRow[] = await tx.query(
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
export async function listAppointmentRows(tx: Tx, accountId: string, filter: AppointmentFilter): Promise<{ rows: AppointmentRow[]; nextCursor: string | null }> {
  const after = filter.cursor ? decodeCursor(filter.cursor) : null;
  if (filter.cursor && !after) throw new ValidationError([{ path: 'cursor', message: 'not a cursor of this list' }]);
  const rows: AppointmentRow[] = await tx.query(
    `SELECT ${APPOINTMENT_COLUMNS} FROM appointments
     WHERE account_id = $1 AND ($2::uuid IS NULL OR calendar_id = $2) AND ($3::uuid IS NULL OR contact_id = $3)
       AND ($4::text IS NULL OR status = $4) AND ($5::timestamptz IS NULL OR (start_at, id) > ($5, $6::uuid))
     ORDER BY start_at, id LIMIT $7`,
    [accountId, filter.calendarId ?? null, filter.contactId ?? null, filter.status ?? null, after?.start ?? null, after?.id ?? null, filter.limit + 1],
  );
  const page = rows.slice(0, filter.limit);
  const last = page[page.length - 1];
  const nextCursor = rows.length > filter.limit && last ? encodeCursor(last.start_at, last.id) : null;
  return { rows: page, nextCursor };
}

function encodeCursor(start: Date, id: string): string {
  return Buffer.from(JSON.stringify([start.toISOString(), id])).toString('base64url');
}

function decodeCursor(cursor: string): { start: string; id: string } | null {
  try {
    const [start, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as unknown[];
    if (typeof start === 'string' && !Number.isNaN(Date.parse(start)) && typeof id === 'string' && isUuid(id)) return { start, id };
  } catch {
    // fall through: a cursor we did not write
  }
  return null;
}

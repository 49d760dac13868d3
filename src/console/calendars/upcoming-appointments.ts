import type { Tx } from '../../db/data-source';
import { contactLabel } from '../contacts/contact-search';

export interface UpcomingAppointment {
  id: string;
  start: Date;
  end: Date;
  status: 'booked';
  calendarId: string;
  calendarName: string;
  contactId: string;
  contactLabel: string;
}

/** Booked appointments that have not ended yet, soonest first (of one calendar, or all). */
export async function upcomingAppointments(tx: Tx, accountId: string, options: { calendarId?: string; limit?: number } = {}): Promise<UpcomingAppointment[]> {
  const rows: {
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
  }[] = await tx.query(
    `SELECT a.id, a.start_at, a.end_at, a.calendar_id, c.name AS calendar_name, a.contact_id,
            ct.email, ct.phone, ct.first_name, ct.last_name
       FROM appointments a
       JOIN calendars c ON c.id = a.calendar_id
       JOIN contacts ct ON ct.id = a.contact_id
      WHERE a.account_id = $1 AND a.status = 'booked' AND a.end_at > now() AND ($2::uuid IS NULL OR a.calendar_id = $2)
      ORDER BY a.start_at, a.id LIMIT $3`,
    [accountId, options.calendarId ?? null, options.limit ?? 200],
  );
  return rows.map((row) => ({
    id: row.id,
    start: row.start_at,
    end: row.end_at,
    status: 'booked',
    calendarId: row.calendar_id,
    calendarName: row.calendar_name,
    contactId: row.contact_id,
    contactLabel: contactLabel(row),
  }));
}

import { selectUpcomingAppointments } from '../../booking/appointment-store';
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
export async function upcomingAppointments(
  tx: Tx,
  accountId: string,
  options: { calendarId?: string; limit?: number } = {},
): Promise<UpcomingAppointment[]> {
  const rows = await selectUpcomingAppointments(tx, accountId, {
    calendarId: options.calendarId ?? null,
    limit: options.limit ?? 200,
  });
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

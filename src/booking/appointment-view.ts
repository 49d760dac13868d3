import { deriveToken, type UrlSigner } from '../lib/signed-tokens';
import type { AppointmentRow } from './appointment-store';

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

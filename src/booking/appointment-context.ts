import type { Tx } from '../db/data-source';
import { isUuid } from '../contacts/contact-store';
import type { UrlSigner } from '../lib/signed-tokens';
import { findAppointmentWithCalendarName } from './appointment-store';
import { toPublicAppointment } from './appointment-view';

/** `{{appointment.start}}`, `{{appointment.rescheduleUrl}}`, … in runs started or resumed by a booking. */
export interface AppointmentContext {
  id: string;
  start: string;
  end: string;
  status: 'booked' | 'cancelled';
  rescheduleUrl: string;
  cancelUrl: string;
  calendarId: string;
  calendarName: string;
}

const appointmentIdOf = (data: unknown): string | null => {
  const id = (data as { appointmentId?: unknown } | null | undefined)?.appointmentId;
  return typeof id === 'string' && isUuid(id) ? id : null;
};

/**
 * The appointment a run is about: the one of the latest booking event that resumed one of its waits,
 * else the one of the event that started it. `outputs` are the run's step outputs, oldest first.
 */
export function appointmentIdOfRun(triggerData: Record<string, unknown>, outputs: unknown[]): string | null {
  for (const output of [...outputs].reverse()) {
    const resumed = output as { resumedBy?: unknown; event?: { data?: unknown } } | null;
    const id = resumed?.resumedBy === 'event' ? appointmentIdOf(resumed.event?.data) : null;
    if (id) return id;
  }
  return appointmentIdOf(triggerData);
}

/** The appointment as it is now (a reschedule shows the new time), with its reschedule and cancel URLs. */
export async function loadAppointmentContext(
  tx: Tx,
  options: { accountId: string; appointmentId: string; urls: UrlSigner },
): Promise<AppointmentContext | null> {
  const row = await findAppointmentWithCalendarName(tx, options.accountId, options.appointmentId);
  if (!row) return null;
  return { ...toPublicAppointment(row, options.urls), calendarId: row.calendar_id, calendarName: row.calendar_name };
}

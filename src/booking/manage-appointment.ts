import type { Db, Tx } from '../db/data-source';
import { GoneError, NotFoundError, ValidationError } from '../lib/errors';
import { looksLikeToken } from '../lib/signed-tokens';
import { cancelAppointment, rescheduleAppointment } from './appointment-service';
import { findAppointmentByToken, type AppointmentRow } from './appointment-store';
import { loadCalendar } from './calendar-service';
import type { CalendarRecord } from './calendar-schema';
import { slotStartingAt } from './slots';

export type AppointmentTokenPurpose = 'reschedule' | 'cancel';

export type AppointmentLookup =
  | { state: 'unknown' }
  /** Past, or (for reschedule) cancelled: nothing left to change. */
  | { state: 'gone'; appointment: AppointmentRow; calendar: CalendarRecord }
  | { state: 'open'; appointment: AppointmentRow; calendar: CalendarRecord };

/** What a reschedule or cancel token stands for, without changing anything. */
export async function lookupAppointmentToken(
  tx: Tx,
  purpose: AppointmentTokenPurpose,
  token: string,
  options: { forUpdate?: boolean; now?: Date } = {},
): Promise<AppointmentLookup> {
  if (!looksLikeToken(token)) return { state: 'unknown' };
  const appointment = await findAppointmentByToken(tx, purpose, token, options);
  if (!appointment) return { state: 'unknown' };
  const calendar = await loadCalendar(tx, appointment.calendar_id);
  const started = appointment.start_at <= (options.now ?? new Date());
  // A cancelled appointment stays "open" for its cancel link: cancelling again is a harmless no-op.
  const closed = started || (purpose === 'reschedule' && appointment.status === 'cancelled');
  return { state: closed ? 'gone' : 'open', appointment, calendar };
}

function openOrThrow(lookup: AppointmentLookup): { appointment: AppointmentRow; calendar: CalendarRecord } {
  if (lookup.state === 'unknown') throw new NotFoundError('Appointment');
  if (lookup.state === 'gone') throw new GoneError('This link has expired');
  return lookup;
}

/** Moves the appointment to the slot starting at `start`: 400 if it is no slot, 409 slot_unavailable if taken. */
export async function rescheduleByToken(
  db: Db,
  options: { token: string; start: Date },
): Promise<{ appointment: AppointmentRow; calendar: CalendarRecord }> {
  return db.transaction(async (tx) => {
    const { appointment, calendar } = openOrThrow(
      await lookupAppointmentToken(tx, 'reschedule', options.token, { forUpdate: true }),
    );
    const slot = slotStartingAt(calendar, options.start, new Date());
    if (!slot) throw new ValidationError([{ path: 'start', message: 'is not a free slot of this calendar' }]);
    if (slot.start.getTime() === appointment.start_at.getTime()) return { appointment, calendar };
    const moved = await rescheduleAppointment(tx, { appointmentId: appointment.id, calendar, slot });
    if (!moved) throw new GoneError('This link has expired');
    return { appointment: moved, calendar };
  });
}

/** Cancels the appointment (frees the slot, emits `appointment.cancelled` once); a second cancel changes nothing. */
export async function cancelByToken(
  db: Db,
  options: { token: string },
): Promise<{ appointment: AppointmentRow; calendar: CalendarRecord; cancelled: boolean }> {
  return db.transaction(async (tx) => {
    const { appointment, calendar } = openOrThrow(
      await lookupAppointmentToken(tx, 'cancel', options.token, { forUpdate: true }),
    );
    if (appointment.status === 'cancelled') return { appointment, calendar, cancelled: false };
    const cancelled = await cancelAppointment(tx, { appointmentId: appointment.id, calendar });
    return { appointment: cancelled ?? appointment, calendar, cancelled: cancelled !== null };
  });
}

import { Router } from 'express';
import { z } from 'zod';
import type { Container } from '../../container';
import { getAppointmentRow, listAppointmentRows } from '../../booking/appointment-store';
import { toAppointment } from '../../booking/appointment-view';
import { cancelAppointment } from '../../booking/appointment-service';
import { loadCalendar } from '../../booking/calendar-service';
import { parseOrThrow } from '../../lib/zod-issues';
import { getAuth } from '../middleware/auth';
import { urlSignerOf } from '../../lib/signed-tokens';

export const listQuerySchema = z.object({
  calendarId: z.uuid().optional(),
  contactId: z.uuid().optional(),
  status: z.enum(['booked', 'cancelled']).optional(),
  /** Page size. Default 50, at most 200. */
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});

/** Appointments: list (earliest first), read, and cancel on the owner's side. */
export function appointmentRoutes(c: Container): Router {
  const router = Router();
  const urls = urlSignerOf(c.config);

  router.get('/appointments', async (req, res) => {
    const query = parseOrThrow(listQuerySchema, req.query);
    const { rows, nextCursor } = await listAppointmentRows(c.db.manager, getAuth(req).accountId, query);
    res.json({ items: rows.map((row) => toAppointment(row, urls)), nextCursor });
  });

  router.get('/appointments/:id', async (req, res) => {
    res.json(toAppointment(await getAppointmentRow(c.db.manager, getAuth(req).accountId, req.params.id), urls));
  });

  /** Frees the slot and emits `appointment.cancelled` (once; cancelling again changes nothing). */
  router.post('/appointments/:id/cancel', async (req, res) => {
    const { accountId } = getAuth(req);
    const row = await c.db.transaction(async (tx) => {
      const current = await getAppointmentRow(tx, accountId, req.params.id);
      const calendar = await loadCalendar(tx, current.calendar_id);
      return (await cancelAppointment(tx, { appointmentId: current.id, calendar })) ?? current;
    });
    res.json(toAppointment(row, urls));
  });

  return router;
}

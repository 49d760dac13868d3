import type { Request, Response, Router } from 'express';
import type { Container } from '../../container';
import { findPublicCalendar } from '../../booking/calendar-service';
import type { CalendarRecord } from '../../booking/calendar-schema';
import { bookFromSchedulingPage } from '../../booking/schedule-booking';
import { NotFoundError } from '../../lib/errors';
import { wantsJson } from '../middleware/public-errors';
import {
  endPublicRouter,
  formErrorMessage,
  parseBookingBody,
  publicPageRouter,
  sendBooked,
  statusOf,
  type BookingBody,
} from './public-page-router';
import { bookingFormOptions, sendSlotPicker, publicSlotsJson, type FormRetry } from './slot-picker';
import { urlSignerOf } from '../../lib/signed-tokens';

/**
 * The reusable scheduling page, mounted at /c: /c/:slug (the scheduling link) and /c/:id (the
 * permanent link, which survives a slug change). It asks name and email and finds or creates the
 * contact (and a phone when the calendar asks for one); no link is spent. It may be framed anywhere (the share endpoint's embed code).
 */
export function schedulingPageRoutes(c: Container): Router {
  const router = publicPageRouter({ frameAncestors: '*' });
  const urls = urlSignerOf(c.config);

  const calendarOrThrow = async (ref: string): Promise<CalendarRecord> => {
    const calendar = ref.length <= 64 ? await findPublicCalendar(c.db.manager, ref) : null;
    if (!calendar) throw new NotFoundError('Calendar');
    return calendar;
  };

  const showPicker = (req: Request, res: Response, calendar: CalendarRecord, retry: FormRetry) =>
    sendSlotPicker(c.db.manager, res, bookingFormOptions(req, calendar, { contact: null }, retry));

  router.get('/:ref', async (req, res) => {
    const calendar = await calendarOrThrow(req.params.ref);
    if (!wantsJson(req)) return showPicker(req, res, calendar, {});
    const { calendar: calendarView, slots } = await publicSlotsJson(c.db.manager, calendar, req.query);
    res.json({
      calendar: calendarView,
      slots,
    });
  });

  router.post('/:ref', async (req, res) => {
    const calendar = await calendarOrThrow(req.params.ref);
    const json = wantsJson(req);
    let body: BookingBody | undefined;
    try {
      body = parseBookingBody(req);
      const appointment = await bookFromSchedulingPage(c.db, { calendar, start: body.start, booker: body, urls });
      c.logger.info(
        { appointmentId: appointment.id, calendarId: calendar.id },
        'appointment booked from scheduling page',
      );
      sendBooked(res, { json, body, calendar, appointment, urls });
    } catch (error) {
      const message = json ? null : formErrorMessage(error);
      if (message === null) throw error;
      await showPicker(req, res, calendar, { status: statusOf(error), error: message, body });
    }
  });

  return endPublicRouter(router, c, { catchAll: true });
}

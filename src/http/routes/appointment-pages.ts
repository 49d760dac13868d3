import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Container } from '../../container';
import { appointmentIcs } from '../../booking/appointment-ics';
import { toPublicAppointment } from '../../booking/appointment-view';
import {
  cancelByToken,
  lookupAppointmentToken,
  rescheduleByToken,
  type AppointmentLookup,
} from '../../booking/manage-appointment';
import { GoneError, NotFoundError } from '../../lib/errors';
import { parseOrThrow } from '../../lib/zod-issues';
import { wantsJson } from '../middleware/public-errors';
import { addToCalendarLinks } from '../../booking/add-to-calendar';
import { cancelFormPage, cancelledPage, confirmationPage } from '../pages/booking-html';
import { visitorZone } from '../pages/booking-view';
import { formErrorMessage, parseBookingBody, rememberCalendar, statusOf, type BookingBody } from './public-page-router';
import { sendSlotPicker, publicSlotsJson } from './slot-picker';
import { urlSignerOf } from '../../lib/signed-tokens';

type OpenAppointment = Extract<AppointmentLookup, { state: 'open' }>;

/**
 * Each appointment's own links, under /book (book-pages-router.ts): /reschedule/:token moves it (no
 * link is spent again), /cancel/:token cancels it. GET shows and asks; only POST changes anything.
 * The routes only: the /book router gives them its headers, body parsers and error pages. A router
 * of their own, so that OPTIONS of their paths is answered with their methods (the catch-all of
 * /book answers every other OPTIONS with the 404 page).
 */
export function appointmentPageRoutes(c: Container): Router {
  const router = Router({ mergeParams: true });
  const urls = urlSignerOf(c.config);

  const openOrThrow = (res: Response, lookup: AppointmentLookup): OpenAppointment => {
    if (lookup.state === 'unknown') throw new NotFoundError('Appointment');
    rememberCalendar(res, lookup.calendar);
    if (lookup.state === 'gone') throw new GoneError('This link has expired');
    return lookup;
  };
  const zoneOf = (req: Request, lookup: OpenAppointment, body?: { tz?: string }) =>
    visitorZone(body?.tz ?? req.query.tz, lookup.calendar.timezone);

  const showPicker = async (
    req: Request,
    res: Response,
    lookup: OpenAppointment,
    extra: { status?: number; error?: string; body?: BookingBody },
  ) =>
    sendSlotPicker(c.db.manager, res, {
      calendar: lookup.calendar,
      heading: `Reschedule: ${lookup.calendar.name}`,
      submitLabel: 'Move my appointment',
      doneHeading: 'Your appointment was moved',
      action: `${req.baseUrl}${req.path}`,
      tz: zoneOf(req, lookup, extra.body),
      date: req.query.date,
      askName: false,
      current: lookup.appointment.start_at,
      values: { start: extra.body?.start.toISOString() },
      status: extra.status,
      error: extra.error,
    });

  router.get('/reschedule/:token', async (req, res) => {
    const lookup = openOrThrow(res, await lookupAppointmentToken(c.db.manager, 'reschedule', req.params.token));
    if (!wantsJson(req)) return showPicker(req, res, lookup, {});
    const { calendar } = lookup;
    const { calendar: calendarView, slots } = await publicSlotsJson(c.db.manager, calendar, req.query);
    res.json({
      appointment: toPublicAppointment(lookup.appointment, urls),
      calendar: calendarView,
      slots,
    });
  });

  router.post('/reschedule/:token', async (req, res) => {
    const json = wantsJson(req);
    let body: BookingBody | undefined;
    try {
      body = parseBookingBody(req);
      const { appointment, calendar } = await rescheduleByToken(c.db, { token: req.params.token, start: body.start });
      c.logger.info({ appointmentId: appointment.id, calendarId: calendar.id }, 'appointment rescheduled');
      const view = toPublicAppointment(appointment, urls);
      if (json) return void res.json({ appointment: view, ...addToCalendarLinks(view, calendar) });
      const tz = visitorZone(body.tz, calendar.timezone);
      res
        .type('html')
        .send(confirmationPage({ heading: 'Your appointment was moved', calendar, appointment: view, tz }));
    } catch (error) {
      if (json) throw error;
      const lookup = await lookupAppointmentToken(c.db.manager, 'reschedule', req.params.token);
      const message = formErrorMessage(error);
      if (message === null) {
        if (lookup.state !== 'unknown') rememberCalendar(res, lookup.calendar);
        throw error;
      }
      await showPicker(req, res, openOrThrow(res, lookup), { status: statusOf(error), error: message, body });
    }
  });

  /**
   * "Add to calendar": the appointment as an .ics file, as it is now (moved, or cancelled: the same
   * UID with a higher SEQUENCE updates the event already imported). Keyed by the reschedule token, so
   * it outlives the one-time link; a cancelled or past appointment's file is still there.
   */
  router.get('/reschedule/:token/calendar.ics', async (req, res) => {
    const lookup = await lookupAppointmentToken(c.db.manager, 'reschedule', req.params.token);
    if (lookup.state === 'unknown') throw new NotFoundError('Appointment');
    rememberCalendar(res, lookup.calendar);
    const { appointment, calendar } = lookup;
    const ics = appointmentIcs({
      appointment: toPublicAppointment(appointment, urls),
      calendar,
      // Seconds since booking: grows with every change, stays small.
      sequence: Math.max(0, Math.floor((appointment.updated_at.getTime() - appointment.created_at.getTime()) / 1000)),
      stamp: appointment.updated_at,
    });
    res
      .type('text/calendar; charset=utf-8')
      .setHeader('Content-Disposition', `attachment; filename="${calendar.slug}.ics"`)
      .send(ics);
  });

  router.get('/cancel/:token', async (req, res) => {
    const lookup = openOrThrow(res, await lookupAppointmentToken(c.db.manager, 'cancel', req.params.token));
    const view = toPublicAppointment(lookup.appointment, urls);
    if (wantsJson(req)) return void res.json({ appointment: view });
    const page = { calendar: lookup.calendar, appointment: view, tz: zoneOf(req, lookup) };
    if (lookup.appointment.status === 'cancelled') return void res.type('html').send(cancelledPage(page));
    res.type('html').send(cancelFormPage({ ...page, action: `${req.baseUrl}${req.path}` }));
  });

  router.post('/cancel/:token', async (req, res) => {
    const { tz } = parseOrThrow(z.object({ tz: z.string().max(100).optional() }), req.body ?? {});
    const { appointment, calendar, cancelled } = await cancelByToken(c.db, { token: req.params.token }).catch(
      async (error: unknown) => {
        const lookup = await lookupAppointmentToken(c.db.manager, 'cancel', req.params.token);
        if (lookup.state !== 'unknown') rememberCalendar(res, lookup.calendar);
        throw error;
      },
    );
    if (cancelled) c.logger.info({ appointmentId: appointment.id, calendarId: calendar.id }, 'appointment cancelled');
    const view = toPublicAppointment(appointment, urls);
    if (wantsJson(req)) return void res.json({ appointment: view });
    res.type('html').send(cancelledPage({ calendar, appointment: view, tz: visitorZone(tz, calendar.timezone) }));
  });

  return router;
}

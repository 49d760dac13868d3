import express, { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Container } from '../../container';
import type { CalendarRecord } from '../../booking/calendar-schema';
import type { AppointmentRow } from '../../booking/appointment-store';
import { toPublicAppointment } from '../../booking/appointment-view';
import { addToCalendarLinks } from '../../booking/add-to-calendar';
import type { UrlSigner } from '../../lib/signed-tokens';
import { isoInstant } from '../../booking/slot-service';
import { SlotUnavailableError } from '../../booking/booking-errors';
import { AppError, NotFoundError, ValidationError } from '../../lib/errors';
import { parseOrThrow } from '../../lib/zod-issues';
import { publicErrorHandler } from '../middleware/public-errors';
import { requireStorablePath } from '../middleware/storable-path';
import { JSON_BODY_TYPES } from '../middleware/require-json';
import { securityHeaders } from '../middleware/security-headers';
import { confirmationPage, expiredPage, tooManyRequestsPage } from '../pages/booking-html';
import { visitorZone } from '../pages/booking-view';

/**
 * A router for the booking pages: security headers and CSP on every response (our own scripts
 * allowed, for the booking widget), and bodies as JSON or as the pages' urlencoded forms (100 kB at
 * most). `frameAncestors: '*'` only for the embeddable page.
 */
export function publicPageRouter(options: { frameAncestors?: string } = {}): Router {
  const router = Router({ mergeParams: true });
  router.use(securityHeaders({ ...options, scripts: true }));
  // A token or slug that cannot be stored (a NUL, bad percent-encoding) names no page: the 404 page.
  router.use(requireStorablePath(() => new NotFoundError('Page')));
  router.use(express.urlencoded({ extended: false, limit: '100kb' }));
  router.use(express.json({ limit: '100kb', type: JSON_BODY_TYPES }));
  return router;
}

/** The calendar a failed page request is about, so a 410 page can name its owner. */
export function rememberCalendar(res: express.Response, calendar: CalendarRecord): void {
  res.locals.calendar = calendar;
}

/** Ends a public router (`catchAll`: the last router of its prefix): expected errors become the expired page (404, 410), a 429 page, or JSON. */
export function endPublicRouter(router: Router, c: Container, options: { catchAll?: boolean } = {}): Router {
  // Anything else under the prefix is answered here too, so that no error handler logs its path.
  if (options.catchAll) router.use((_req, _res, next) => next(new NotFoundError('Page')));
  router.use(
    publicErrorHandler({
      logger: c.logger,
      page: (error, req) => {
        if (error.status === 404 || error.status === 410)
          return expiredPage((req.res?.locals.calendar as CalendarRecord | undefined) ?? null);
        if (error.status === 429) return tooManyRequestsPage();
        return null;
      },
    }),
  );
  return router;
}

/** A booking POST, as JSON or as the page's form. */
export const bookingBodySchema = z.object({
  start: z.string({ error: 'please choose a time' }).pipe(isoInstant),
  name: z.string().max(200).optional(),
  email: z.string().max(254).optional(),
  /** Asked when the calendar has `askPhone`; checked by the booking (src/booking/booking-contact.ts). */
  phone: z.string().max(100).optional(),
  tz: z.string().max(100).optional(),
});
export type BookingBody = z.infer<typeof bookingBodySchema>;

export function parseBookingBody(req: Request): BookingBody {
  return parseOrThrow(bookingBodySchema, req.body ?? {});
}

/**
 * 201 for a booking made from a public page: the appointment with its "Add to calendar" links as
 * JSON (the widget), else the confirmation page in the zone the visitor chose.
 */
export function sendBooked(
  res: Response,
  booked: { json: boolean; body: BookingBody; calendar: CalendarRecord; appointment: AppointmentRow; urls: UrlSigner },
): void {
  const { calendar } = booked;
  const view = toPublicAppointment(booked.appointment, booked.urls);
  if (booked.json) return void res.status(201).json({ appointment: view, ...addToCalendarLinks(view, calendar) });
  const tz = visitorZone(booked.body.tz, calendar.timezone);
  res
    .status(201)
    .type('html')
    .send(confirmationPage({ heading: 'You’re booked', calendar, appointment: view, tz }));
}

/** For a form: the message to show above the slots when a booking was refused, or null to let the error through. */
export function formErrorMessage(error: unknown): string | null {
  if (error instanceof SlotUnavailableError) return 'Sorry, that time was just taken. Please choose another one.';
  if (error instanceof ValidationError) {
    return error.issues
      .map((issue) =>
        issue.path === 'start'
          ? 'Please choose one of the times below.'
          : `${issue.path ? `${issue.path}: ` : ''}${issue.message}`,
      )
      .join(' ');
  }
  return null;
}

export function statusOf(error: unknown): number {
  return error instanceof AppError ? error.status : 500;
}

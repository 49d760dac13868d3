import type { Router } from 'express';
import type { Container } from '../../container';
import { appointmentPageRoutes } from './appointment-pages';
import { bookingPageRoutes } from './booking-pages';
import { endPublicRouter, publicPageRouter } from './public-page-router';

/**
 * Everything under /book, in one router: its security headers, path check and body parsers run
 * once per request (two routers ran them twice). The one-time link pages (`/:token`, one segment)
 * come first, as most requests are bookings; the appointments' pages (`/reschedule/…`,
 * `/cancel/…`, two segments or more) never match the same path. Anything else is the 404 page.
 */
export function bookPagesRouter(c: Container): Router {
  const router = bookingPageRoutes(c, publicPageRouter());
  router.use(appointmentPageRoutes(c));
  return endPublicRouter(router, c, { catchAll: true });
}

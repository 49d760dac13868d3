import type { Request, Response, Router } from 'express';
import type { Container } from '../../container';
import { getContact } from '../../contacts/contact-service';
import type { Contact } from '../../contacts/contact-schema';
import { NotFoundError } from '../../lib/errors';
import { lookupLink, type LinkLookup } from '../../links/link-lookup';
import { markLinkFirstViewed, type LinkRow } from '../../links/link-store';
import { LinkGoneError, redeemLink } from '../../links/redeem-link';
import { createLinkReadBatch } from '../../links/link-read-batch';
import { createLinkSpendBatch } from '../../links/link-spend-batch';
import { wantsJson } from '../middleware/public-errors';
import {
  formErrorMessage,
  parseBookingBody,
  rememberCalendar,
  sendBooked,
  statusOf,
  type BookingBody,
} from './public-page-router';
import { bookingFormOptions, sendSlotPicker, publicSlotsJson, type FormRetry } from './slot-picker';
import { urlSignerOf } from '../../lib/signed-tokens';

type ActiveLink = Extract<LinkLookup, { state: 'active' }>;

const displayName = (contact: Contact): string =>
  [contact.firstName, contact.lastName].filter(Boolean).join(' ') || contact.email || contact.phone || 'you';

/**
 * The one-time link pages, `/:token` under /book: GET (and HEAD) show free slots and never change
 * anything (mail scanners open every link); POST books, consuming one use of the link. The routes
 * are added to `router`, the /book router (book-pages-router.ts), which gives them its headers,
 * body parsers and error pages.
 */
export function bookingPageRoutes(c: Container, router: Router): Router {
  const urls = urlSignerOf(c.config);
  // Concurrent bookings' links are read, then spent and booked, in one statement each (src/links/link-*-batch.ts).
  const reads = createLinkReadBatch(c.db);
  const spends = createLinkSpendBatch(c.db);

  /** 404 for an unknown token, 410 for a used, expired or revoked one; both show the same page. */
  const activeOrThrow = (res: Response, lookup: LinkLookup): ActiveLink => {
    if (lookup.state === 'unknown') throw new NotFoundError('Link');
    rememberCalendar(res, lookup.calendar);
    if (lookup.state === 'gone') throw new LinkGoneError();
    return lookup;
  };

  /**
   * The funnel's "page opened": the first GET of a known link, expired or not (HEAD is no opening).
   * Analytics only, and best effort: a failed write is logged and the page is shown all the same.
   */
  const recordFirstView = async (link: LinkRow): Promise<void> => {
    if (link.first_viewed_at) return;
    await markLinkFirstViewed(c.db.manager, link.id).catch((error: unknown) =>
      c.logger.warn({ err: error, linkId: link.id }, 'link first view not recorded'),
    );
  };

  const contactOf = async (link: ActiveLink['link']): Promise<Contact | null> =>
    link.contact_id ? getContact(c.db.manager, link.account_id, link.contact_id) : null;

  const showPicker = async (req: Request, res: Response, lookup: ActiveLink, retry: FormRetry) => {
    const contact = await contactOf(lookup.link);
    const visitor = {
      contact: contact && { name: displayName(contact), email: contact.email },
      contactZone: contact?.timezone,
    };
    await sendSlotPicker(c.db.manager, res, bookingFormOptions(req, lookup.calendar, visitor, retry));
  };

  router.get('/:token', async (req, res) => {
    const found = await lookupLink(c.db.manager, req.params.token);
    if (req.method === 'GET' && found.state !== 'unknown') await recordFirstView(found.link);
    const lookup = activeOrThrow(res, found);
    if (!wantsJson(req)) return showPicker(req, res, lookup, {});
    const contact = await contactOf(lookup.link);
    const { calendar } = lookup;
    const { calendar: calendarView, slots } = await publicSlotsJson(c.db.manager, calendar, req.query);
    res.json({
      calendar: calendarView,
      contact: contact && { firstName: contact.firstName, lastName: contact.lastName, email: contact.email },
      slots,
    });
  });

  router.post('/:token', async (req, res) => {
    const json = wantsJson(req);
    let body: BookingBody | undefined;
    try {
      body = parseBookingBody(req);
      const { link, calendar, appointment } = await redeemLink(c.db, {
        token: req.params.token,
        start: body.start,
        booker: body,
        urls,
        reads,
        spends,
      });
      c.logger.info(
        { linkId: link.id, appointmentId: appointment.id, calendarId: calendar.id },
        'one-time link redeemed',
      );
      sendBooked(res, { json, body, calendar, appointment, urls });
    } catch (error) {
      if (json) throw error;
      // The form is shown again as the link is now (it may have gone meanwhile), or the expired page.
      const lookup = await lookupLink(c.db.manager, req.params.token);
      const message = formErrorMessage(error);
      if (message === null) {
        if (lookup.state !== 'unknown') rememberCalendar(res, lookup.calendar);
        throw error;
      }
      await showPicker(req, res, activeOrThrow(res, lookup), { status: statusOf(error), error: message, body });
    }
  });

  return router;
}

import { Router } from 'express';
import { z } from 'zod';
import type { Container } from '../../container';
import { calendarInputSchema, calendarPatchSchema } from '../../booking/calendar-schema';
import {
  createCalendar,
  getCalendar,
  listCalendars,
  toCalendarView,
  updateCalendar,
} from '../../booking/calendar-service';
import { embedSnippets } from '../../booking/embed-code';
import { listFreeSlots, resolveSlotRange, slotView } from '../../booking/slot-service';
import { findContactRow } from '../../contacts/contact-store';
import { linkOptionsShape, mintLink, toLinkView } from '../../links/link-service';
import { parseOrThrow } from '../../lib/zod-issues';
import { getAuth } from '../middleware/auth';
import { urlSignerOf } from '../../lib/signed-tokens';

export const mintBodySchema = z.strictObject({ contactId: z.string().min(1).max(100).optional(), ...linkOptionsShape });

/** Calendars: CRUD, free slots, sharing, and minting one-time links by hand ("Generate New Link"). */
export function calendarRoutes(c: Container): Router {
  const router = Router();
  const urls = urlSignerOf(c.config);

  router.post('/calendars', async (req, res) => {
    const { accountId } = getAuth(req);
    const input = parseOrThrow(calendarInputSchema, req.body);
    const calendar = await c.db.transaction((tx) => createCalendar(tx, accountId, input));
    res.status(201).location(`/api/v1/calendars/${calendar.id}`).json(toCalendarView(calendar));
  });

  router.get('/calendars', async (req, res) => {
    const calendars = await listCalendars(c.db.manager, getAuth(req).accountId);
    res.json({ items: calendars.map(toCalendarView) });
  });

  router.get('/calendars/:id', async (req, res) => {
    res.json(toCalendarView(await getCalendar(c.db.manager, getAuth(req).accountId, req.params.id)));
  });

  router.patch('/calendars/:id', async (req, res) => {
    const { accountId } = getAuth(req);
    const patch = parseOrThrow(calendarPatchSchema, req.body);
    res.json(toCalendarView(await c.db.transaction((tx) => updateCalendar(tx, accountId, req.params.id, patch))));
  });

  router.get('/calendars/:id/slots', async (req, res) => {
    const calendar = await getCalendar(c.db.manager, getAuth(req).accountId, req.params.id);
    const range = resolveSlotRange(calendar, req.query);
    res.json({ items: (await listFreeSlots(c.db.manager, calendar, range)).map(slotView) });
  });

  router.post('/calendars/:id/one-time-links', async (req, res) => {
    const { accountId } = getAuth(req);
    const body = parseOrThrow(mintBodySchema, req.body ?? {});
    const link = await c.db.transaction(async (tx) => {
      const calendar = await getCalendar(tx, accountId, req.params.id);
      const contact = body.contactId ? await findContactRow(tx, accountId, body.contactId) : null;
      const options = {
        accountId,
        calendarId: calendar.id,
        contactId: contact?.id,
        expiresInMs: body.expiresIn,
        maxUses: body.maxUses,
      };
      return (await mintLink(tx, options, urls.secret)).row;
    });
    c.logger.info({ linkId: link.id, calendarId: link.calendar_id }, 'one-time link minted');
    res.status(201).location(`/api/v1/one-time-links/${link.id}`).json(toLinkView(link, urls));
  });

  /**
   * Everything the "Share" dialog shows; `oneTimeLink` is a fresh link (no contact) on every call.
   * `embed` holds the dialog's three forms; `embedCode` (the inline one as it was first shipped) stays for callers of old.
   */
  router.get('/calendars/:id/share', async (req, res) => {
    const { accountId } = getAuth(req);
    const { calendar, link } = await c.db.transaction(async (tx) => {
      const found = await getCalendar(tx, accountId, req.params.id);
      return { calendar: found, link: (await mintLink(tx, { accountId, calendarId: found.id }, urls.secret)).row };
    });
    const schedulingLink = `${urls.publicUrl}/c/${calendar.slug}`;
    const embed = embedSnippets({
      schedulingUrl: schedulingLink,
      publicUrl: urls.publicUrl,
      calendarName: calendar.name,
    });
    res.json({
      schedulingLink,
      permanentLink: `${urls.publicUrl}/c/${calendar.id}`,
      oneTimeLink: toLinkView(link, urls).url,
      oneTimeLinkId: link.id,
      embed,
      embedCode: embed.inline,
    });
  });

  return router;
}

import { Router } from 'express';
import Handlebars from 'handlebars';
import { getCalendar, listCalendars } from '../../booking/calendar-service';
import type { Container } from '../../container';
import { isUuid } from '../../contacts/contact-store';
import { getLinkRow, mintLink, toLinkView } from '../../links/link-service';
import { findUnusedSharedLink, type LinkRow } from '../../links/link-store';
import { urlSignerOf } from '../../lib/signed-tokens';
import { getSession } from '../session/session-middleware';
import { queryText } from '../views/form-values';
import { sendPage } from '../views/layout';
import { CALENDAR_LIST_VIEW, SHARE_VIEW } from './calendar-views';

const TABS = ['scheduling', 'permanent', 'one-time', 'embed'] as const;

/**
 * The Share dialog of a calendar: Scheduling Link, Permanent Link, One Time Link, Embed Code.
 * Opening it changes nothing: the One Time Link tab shows the unused link minted last (or the one
 * just generated); only "Generate New Link", a POST, mints one.
 */
export function sharePages(c: Container): Router {
  const router = Router();
  const urls = urlSignerOf(c.config);

  router.get('/calendars/:id/share', async (req, res) => {
    const { accountId } = getSession(res);
    const calendar = await getCalendar(c.db.manager, accountId, req.params.id);
    const tab = TABS.find((candidate) => candidate === queryText(req, 'tab')) ?? 'scheduling';
    const linkId = queryText(req, 'link');
    let oneTime: LinkRow | null = null;
    if (tab === 'one-time') {
      oneTime = isUuid(linkId)
        ? await getLinkRow(c.db.manager, accountId, linkId)
        : await findUnusedSharedLink(c.db.manager, accountId, calendar.id);
      if (oneTime && oneTime.calendar_id !== calendar.id) oneTime = null;
    }
    const scheduling = `${urls.publicUrl}/c/${calendar.slug}`;
    const embedTitle = Handlebars.escapeExpression(`Book a time: ${calendar.name}`);
    sendPage(res, {
      title: `Share ${calendar.name}`,
      section: 'calendars',
      // The dialog is drawn over the calendar list it was opened from.
      view: CALENDAR_LIST_VIEW + SHARE_VIEW,
      req,
      data: {
        calendars: await listCalendars(c.db.manager, accountId),
        calendar,
        tab,
        links: {
          scheduling,
          permanent: `${urls.publicUrl}/c/${calendar.id}`,
          embed: `<iframe src="${Handlebars.escapeExpression(scheduling)}" title="${embedTitle}" width="100%" height="720" frameborder="0" loading="lazy"></iframe>`,
        },
        oneTime: oneTime ? toLinkView(oneTime, urls) : null,
      },
    });
  });

  /** "Generate New Link": a fresh single-use link to the calendar, for anyone (no contact). */
  router.post('/calendars/:id/share/one-time-link', async (req, res) => {
    const { accountId } = getSession(res);
    const link = await c.db.transaction(async (tx) => {
      const calendar = await getCalendar(tx, accountId, req.params.id);
      return (await mintLink(tx, { accountId, calendarId: calendar.id }, urls.secret)).row;
    });
    c.logger.info({ linkId: link.id, calendarId: link.calendar_id }, 'one-time link minted from the console');
    res.redirect(303, `/app/calendars/${link.calendar_id}/share?tab=one-time&link=${link.id}&notice=minted`);
  });

  return router;
}

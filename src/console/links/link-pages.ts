import { Router } from 'express';
import { listCalendars } from '../../booking/calendar-service';
import type { Container } from '../../container';
import { isUuid } from '../../contacts/contact-store';
import { listLinkRows, revokeLink } from '../../links/link-service';
import { LINK_STATUSES, type LinkStatus } from '../../links/link-store';
import { urlSignerOf } from '../../lib/signed-tokens';
import { findContactByRef } from '../contacts/contact-search';
import { getSession, safeReturnPath } from '../session/session-middleware';
import { formText, queryString, queryText } from '../views/form-values';
import { sendPage } from '../views/layout';
import { describeLinks } from './link-descriptions';

const LINKS_VIEW = `<h1>One-time links</h1>
<form method="get" action="/app/links" class="card row">
<label for="status">Status</label>
<select id="status" name="status"><option value="">any</option>{{#each statuses}}<option value="{{value}}"{{#if selected}} selected{{/if}}>{{value}}</option>{{/each}}</select>
<label for="calendarId">Calendar</label>
<select id="calendarId" name="calendarId"><option value="">any</option>{{#each calendars}}<option value="{{id}}"{{#if selected}} selected{{/if}}>{{name}}</option>{{/each}}</select>
<label for="contact">Contact (email or id)</label>
<input type="search" id="contact" name="contact" value="{{contact}}">
<button type="submit">Filter</button>
</form>
{{#if unknownContact}}<p class="muted">No contact is known by “{{contact}}”.</p>{{/if}}
{{> linkTable}}
<nav class="pager">{{#if isLaterPage}}<a href="{{firstHref}}">First page</a>{{/if}}{{#if nextHref}}<a href="{{nextHref}}" rel="next">Next page</a>{{/if}}</nav>`;

/** One-time links of the account: filter by status, calendar and contact; revoke. */
export function linkPages(c: Container): Router {
  const router = Router();
  const urls = urlSignerOf(c.config);

  router.get('/links', async (req, res) => {
    const { accountId } = getSession(res);
    const tx = c.db.manager;
    const status = LINK_STATUSES.find((candidate) => candidate === queryText(req, 'status')) as LinkStatus | undefined;
    const calendarId = isUuid(queryText(req, 'calendarId')) ? queryText(req, 'calendarId') : '';
    const contact = queryText(req, 'contact').slice(0, 254);
    const cursor = isUuid(queryText(req, 'cursor')) ? queryText(req, 'cursor') : '';
    const contactId = contact ? ((await findContactByRef(tx, accountId, contact))?.id ?? null) : undefined;
    const page =
      contactId === null
        ? { rows: [], nextCursor: null }
        : await listLinkRows(tx, accountId, {
            status,
            calendarId: calendarId || undefined,
            contactId,
            limit: 50,
            cursor: cursor || undefined,
          });
    const filters = { status, calendarId, contact };
    sendPage(res, {
      title: 'One-time links',
      section: 'links',
      view: LINKS_VIEW,
      req,
      data: {
        links: await describeLinks(tx, accountId, page.rows, urls),
        statuses: LINK_STATUSES.map((value) => ({ value, selected: value === status })),
        calendars: (await listCalendars(tx, accountId)).map((calendar) => ({
          ...calendar,
          selected: calendar.id === calendarId,
        })),
        contact,
        unknownContact: contactId === null,
        returnTo: `/app/links${queryString({ ...filters, cursor })}`,
        isLaterPage: Boolean(cursor),
        firstHref: `/app/links${queryString(filters)}`,
        nextHref: page.nextCursor ? `/app/links${queryString({ ...filters, cursor: page.nextCursor })}` : null,
      },
    });
  });

  /** Revokes an active link (a used, expired or revoked one stays as it is), then goes back where it was pressed. */
  router.post('/links/:id/revoke', async (req, res) => {
    const { accountId } = getSession(res);
    const link = await c.db.transaction((tx) => revokeLink(tx, accountId, req.params.id));
    c.logger.info({ linkId: link.id }, 'one-time link revoked from the console');
    const back = formText(req, 'returnTo');
    const target = safeReturnPath(back) ? back : '/app/links';
    res.redirect(303, `${target}${target.includes('?') ? '&' : '?'}notice=revoked`);
  });

  return router;
}

import { Router } from 'express';
import { addTags, createContact, getContact, removeTag } from '../../contacts/contact-service';
import type { Container } from '../../container';
import { ValidationError } from '../../lib/errors';
import { listLinkRows } from '../../links/link-service';
import { urlSignerOf } from '../../lib/signed-tokens';
import { describeLinks } from '../links/link-descriptions';
import { getSession } from '../session/session-middleware';
import { formText, queryString, queryText } from '../views/form-values';
import { sendPage } from '../views/layout';
import { viewZone } from '../views/view-zone';
import { CONTACT_LIST_VIEW, CONTACT_NEW_VIEW, CONTACT_VIEW } from './contact-views';
import { contactLabel, searchContacts } from './contact-search';
import { contactTimelinePage, contactTimelineSince } from './contact-timeline';
import { decodeTimelineCursor, encodeTimelineCursor } from './contact-timeline-cursor';
import { renderTimelineEntries } from './contact-timeline-view';

const PAGE_SIZE = 50;

/** Contacts: search and page through them, add one, and a contact's page with its tags and its timeline (and its polled JSON). */
export function contactPages(c: Container): Router {
  const router = Router();
  const urls = urlSignerOf(c.config);

  router.get('/contacts', async (req, res) => {
    const { accountId } = getSession(res);
    const [q, tag, cursor] = [
      queryText(req, 'q').slice(0, 200),
      queryText(req, 'tag').slice(0, 100),
      queryText(req, 'cursor').slice(0, 200),
    ];
    const page = await searchContacts(c.db.manager, accountId, {
      q,
      tag,
      cursor: cursor || undefined,
      limit: PAGE_SIZE,
    });
    const contacts = page.items.map((contact) => ({
      ...contact,
      name: [contact.firstName, contact.lastName].filter(Boolean).join(' '),
    }));
    sendPage(res, {
      title: 'Contacts',
      section: 'contacts',
      view: CONTACT_LIST_VIEW,
      req,
      data: {
        q,
        tag,
        contacts,
        filtered: Boolean(q || tag),
        isLaterPage: Boolean(cursor),
        firstHref: `/app/contacts${queryString({ q, tag })}`,
        nextHref: page.nextCursor ? `/app/contacts${queryString({ q, tag, cursor: page.nextCursor })}` : null,
      },
    });
  });

  router.get('/contacts/new', (req, res) => {
    sendPage(res, { title: 'Add a contact', section: 'contacts', view: CONTACT_NEW_VIEW, req, data: { values: {} } });
  });

  router.post('/contacts', async (req, res) => {
    const { accountId } = getSession(res);
    const values = Object.fromEntries(
      ['email', 'phone', 'firstName', 'lastName', 'tags'].map((name) => [name, formText(req, name)]),
    );
    const input = {
      ...Object.fromEntries(
        ['email', 'phone', 'firstName', 'lastName'].filter((name) => values[name]).map((name) => [name, values[name]]),
      ),
      tags: values.tags
        ? values.tags
            .split(',')
            .map((tag) => tag.trim())
            .filter(Boolean)
        : [],
    };
    try {
      const contact = await c.db.transaction((tx) => createContact(tx, accountId, input));
      res.redirect(303, `/app/contacts/${contact.id}?notice=created`);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      sendPage(res, {
        title: 'Add a contact',
        section: 'contacts',
        view: CONTACT_NEW_VIEW,
        status: 400,
        data: { values, issues: error.issues },
      });
    }
  });

  router.get('/contacts/:id', async (req, res) => {
    const { accountId } = getSession(res);
    const tx = c.db.manager;
    const contact = await getContact(tx, accountId, req.params.id);
    const before = queryText(req, 'before');
    const page = await contactTimelinePage(tx, {
      accountId,
      contactId: contact.id,
      before: before ? decodeTimelineCursor(before, 'before') : null,
    });
    const links = await describeLinks(
      tx,
      accountId,
      (await listLinkRows(tx, accountId, { contactId: contact.id, limit: 50 })).rows,
      urls,
    );
    const title = contactLabel({
      email: contact.email,
      phone: contact.phone,
      first_name: contact.firstName,
      last_name: contact.lastName,
    });
    const href = `/app/contacts/${contact.id}`;
    sendPage(res, {
      title,
      section: 'contacts',
      view: CONTACT_VIEW,
      req,
      data: {
        title,
        contact,
        customFields: Object.entries(contact.customFields).map(([name, value]) => ({ name, value })),
        timelineHtml: renderTimelineEntries(page.entries, { viewZone: viewZone(res).zone, loadNewestEmail: !before })
          .map((entry) => entry.html)
          .join('\n'),
        hasEntries: page.entries.length > 0,
        isLaterPage: Boolean(before),
        newestHref: href,
        olderHref: page.older ? `${href}${queryString({ before: encodeTimelineCursor(page.older) })}` : null,
        links,
        returnTo: href,
      },
    });
  });

  /**
   * The timeline as JSON, its entries rendered: `?before=<cursor>` (or nothing) for a page, newest
   * first, with the cursor of the next; `?after=<cursor>` for what happened since the newest entry a
   * page shows (the page's script polls it; see contactTimelineSince).
   */
  router.get('/contacts/:id/timeline', async (req, res) => {
    const { accountId } = getSession(res);
    const tx = c.db.manager;
    const contact = await getContact(tx, accountId, req.params.id);
    const [before, after] = [queryText(req, 'before'), queryText(req, 'after')];
    if (before && after)
      throw new ValidationError([{ path: 'after', message: 'give either before (a page) or after (a poll)' }]);
    res.setHeader('Cache-Control', 'no-store');
    if (after) {
      const since = await contactTimelineSince(tx, {
        accountId,
        contactId: contact.id,
        after: decodeTimelineCursor(after, 'after'),
      });
      res.json({
        entries: renderTimelineEntries(since.entries, { viewZone: viewZone(res).zone }),
        from: since.from,
        truncated: since.truncated,
      });
      return;
    }
    const page = await contactTimelinePage(tx, {
      accountId,
      contactId: contact.id,
      before: before ? decodeTimelineCursor(before, 'before') : null,
    });
    res.json({
      entries: renderTimelineEntries(page.entries, { viewZone: viewZone(res).zone }),
      // The whole first page: a poll from an empty list replaces nothing older than the page holds.
      from: page.older ? page.older.at : null,
      truncated: false,
      nextCursor: page.older ? encodeTimelineCursor(page.older) : null,
    });
  });

  router.post('/contacts/:id/tags', async (req, res) => {
    const { accountId } = getSession(res);
    const { contact } = await c.db.transaction((tx) => addTags(tx, accountId, req.params.id, [formText(req, 'tag')]));
    res.redirect(303, `/app/contacts/${contact.id}?notice=tag-added`);
  });

  router.post('/contacts/:id/tags/remove', async (req, res) => {
    const { accountId } = getSession(res);
    const { contact } = await c.db.transaction((tx) => removeTag(tx, accountId, req.params.id, formText(req, 'tag')));
    res.redirect(303, `/app/contacts/${contact.id}?notice=tag-removed`);
  });

  return router;
}

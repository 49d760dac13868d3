import { Router } from 'express';
import { addTags, createContact, getContact, removeTag } from '../../contacts/contact-service';
import type { Container } from '../../container';
import { listRunViews } from '../../engine/run-views';
import { ValidationError } from '../../lib/errors';
import { listLinkRows } from '../../links/link-service';
import { urlSignerOf } from '../../lib/signed-tokens';
import { listContactMessages } from '../../messaging/message-store';
import { describeLinks } from '../links/link-descriptions';
import { getSession } from '../session/session-middleware';
import { formText, queryString, queryText } from '../views/form-values';
import { sendPage } from '../views/layout';
import { workflowNames } from '../workflows/workflow-stats';
import { CONTACT_LIST_VIEW, CONTACT_NEW_VIEW, CONTACT_VIEW } from './contact-views';
import { contactLabel, searchContacts } from './contact-search';

const PAGE_SIZE = 50;

/** Contacts: search and page through them, add one, and a contact's page with its tags, messages, runs and links. */
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
    const messages = await listContactMessages(tx, { accountId, contactId: contact.id, limit: 50 });
    const runs = (await listRunViews(tx, accountId, { contactId: contact.id, limit: 50 })).items;
    const names = await workflowNames(tx, accountId);
    const links = await describeLinks(
      tx,
      accountId,
      (await listLinkRows(tx, accountId, { contactId: contact.id, limit: 50 })).rows,
      urls,
    );
    sendPage(res, {
      title: contactLabel({
        email: contact.email,
        phone: contact.phone,
        first_name: contact.firstName,
        last_name: contact.lastName,
      }),
      section: 'contacts',
      view: CONTACT_VIEW,
      req,
      data: {
        title: contactLabel({
          email: contact.email,
          phone: contact.phone,
          first_name: contact.firstName,
          last_name: contact.lastName,
        }),
        contact,
        customFields: Object.entries(contact.customFields).map(([name, value]) => ({ name, value })),
        messages: messages.map((message) => ({
          ...message,
          runId: message.run_id,
          stepId: message.step_id,
          createdAt: message.created_at,
        })),
        runs: runs.map((run) => ({ ...run, workflowName: names.get(run.workflowId) ?? run.workflowId })),
        links,
        returnTo: `/app/contacts/${contact.id}`,
      },
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

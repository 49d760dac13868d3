import { Router } from 'express';
import type { Container } from '../../container';
import { contactLabel, searchContacts } from '../contacts/contact-search';
import { getSession } from '../session/session-middleware';
import { queryText } from '../views/form-values';

/** Suggestions per keystroke: enough to pick from, few enough to read. */
const SUGGESTIONS = 10;

/**
 * `GET /app/pickers/contacts?q=ada`: the contacts a picker suggests (part of an email or a name),
 * newest first, as `{items: [{value, label}]}`. `value` is what the form posts (the email, or the
 * id of a contact without one); the form resolves it as it would a typed email.
 */
export function contactPickerRoutes(c: Container): Router {
  const router = Router();
  router.get('/pickers/contacts', async (req, res) => {
    const q = queryText(req, 'q').slice(0, 254);
    const { items } = q
      ? await searchContacts(c.db.manager, getSession(res).accountId, { q, limit: SUGGESTIONS })
      : { items: [] };
    res.setHeader('Cache-Control', 'no-store');
    res.json({
      items: items.map((contact) => ({
        value: contact.email ?? contact.id,
        label: contactLabel({ ...contact, first_name: contact.firstName, last_name: contact.lastName }),
      })),
    });
  });
  return router;
}

import { Router } from 'express';
import type { Container } from '../../container';
import { BUILT_IN_CONTACT_FIELDS } from '../../contacts/contact-fields';
import { selectRecentCustomFieldNames, selectRecentTags } from '../../contacts/contact-store';
import { currentTemplates } from '../../messaging/template-store';
import { getAuth } from '../middleware/auth';

/** At most this many tags or custom field names are suggested. */
const SUGGESTIONS = 500;

/**
 * What the builder's pickers offer: message templates (TEMPLATES_DIR, loaded at boot), the
 * account's tags and contact fields. Suggestions, not rules: the tags and custom fields come from
 * the account's newest contacts (see SUGGESTION_SAMPLE), and a name typed in is accepted as well.
 */
export function builderPickerRoutes(c: Container): Router {
  const router = Router();

  router.get('/templates', (req, res) => {
    getAuth(req);
    res.json({ items: currentTemplates().list() });
  });

  router.get('/tags', async (req, res) => {
    res.json({ items: await selectRecentTags(c.db.manager, getAuth(req).accountId, SUGGESTIONS) });
  });

  router.get('/contact-fields', async (req, res) => {
    const custom = await selectRecentCustomFieldNames(c.db.manager, getAuth(req).accountId, SUGGESTIONS);
    res.json({ builtIn: BUILT_IN_CONTACT_FIELDS, custom: custom.map((name) => ({ name })) });
  });

  return router;
}

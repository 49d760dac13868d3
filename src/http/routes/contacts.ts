import { Router } from 'express';
import { z } from 'zod';
import {
  contactPatchSchema,
  listContactsSchema,
  tagListSchema,
  type ContactInput,
} from '../../contacts/contact-schema';
import type { ContactWriteBatch } from '../../contacts/contact-write-batch';
import {
  addTags,
  createContact,
  getContact,
  listContacts,
  removeTag,
  updateContact,
} from '../../contacts/contact-service';
import type { Container } from '../../container';
import { parseOrThrow } from '../../lib/zod-issues';
import { getAuth } from '../middleware/auth';

export const addTagsSchema = z.strictObject({ tags: tagListSchema.min(1, 'give at least one tag') });

export interface ContactRouteOptions {
  /** The API process's group commit of new contacts (many requests' contacts in one statement). Default none. */
  contactWrites?: ContactWriteBatch;
}

export function contactRoutes(container: Container, options: ContactRouteOptions = {}): Router {
  const router = Router();
  const { db } = container;

  router.post('/contacts', async (req, res) => {
    const { accountId } = getAuth(req);
    // createContact checks the body (contactInputSchema, 400 with the field paths). One statement
    // writes the contact and its events, shared with the other requests' of the moment: no transaction.
    const contact = await createContact(db.manager, accountId, req.body as ContactInput, {
      batch: options.contactWrites,
    });
    res.status(201).location(`/api/v1/contacts/${contact.id}`).json(contact);
  });

  router.get('/contacts', async (req, res) => {
    const { accountId } = getAuth(req);
    const query = parseOrThrow(listContactsSchema, req.query);
    res.json(await listContacts(db.manager, accountId, query));
  });

  router.get('/contacts/:id', async (req, res) => {
    const { accountId } = getAuth(req);
    res.json(await getContact(db.manager, accountId, req.params.id));
  });

  router.patch('/contacts/:id', async (req, res) => {
    const { accountId } = getAuth(req);
    const patch = parseOrThrow(contactPatchSchema, req.body);
    res.json(await db.transaction((tx) => updateContact(tx, accountId, req.params.id, patch)));
  });

  router.post('/contacts/:id/tags', async (req, res) => {
    const { accountId } = getAuth(req);
    const { tags } = parseOrThrow(addTagsSchema, req.body);
    const { contact } = await addTags(db.manager, accountId, req.params.id, tags);
    res.json(contact);
  });

  router.delete('/contacts/:id/tags/:tag', async (req, res) => {
    const { accountId } = getAuth(req);
    const { contact } = await removeTag(db.manager, accountId, req.params.id, req.params.tag);
    res.json(contact);
  });

  return router;
}

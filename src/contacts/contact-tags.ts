import type { Tx } from '../db/data-source';
import { currentLane } from '../events/event-lane';
import { NotFoundError } from '../lib/errors';
import { parseOrThrow } from '../lib/zod-issues';
import { tagListSchema, tagSchema, uniqueTags, type Contact } from './contact-schema';
import { isUuid, toContact } from './contact-store';
import { addContactTags, removeContactTag } from './contact-write-store';
import type { ContactWriteBatch } from './contact-write-batch';

/** Tags as addTags appends them: checked and normalised like the API's, each once (a ValidationError names a bad one). */
export function tagsToAdd(tags: string[]): string[] {
  return uniqueTags(parseOrThrow(tagListSchema, tags, ['tags']));
}

/**
 * Adds tags (normalised like the API) and emits `contact.tag_added` for those that were new. One
 * statement that locks the row, changes it and writes the events (contact-write-store.ts): two
 * concurrent calls adding the same tag emit it exactly once, with or without a caller's transaction.
 * With `batch` (outside a transaction only: a worker's steps), the statement is shared with the
 * process's other steps' tag writes (contact-write-batch.ts), answered once it committed.
 */
export async function addTags(
  tx: Tx,
  accountId: string,
  contactId: string,
  tags: string[],
  options: { batch?: ContactWriteBatch } = {},
): Promise<{ contact: Contact; added: string[] }> {
  const wanted = tagsToAdd(tags);
  if (!isUuid(contactId)) throw new NotFoundError('Contact');
  const write = { accountId, contactId, tags: wanted, lane: currentLane() };
  const row = options.batch ? await options.batch.addTags.submit(write) : await addContactTags(tx, write);
  if (!row) throw new NotFoundError('Contact');
  return { contact: toContact(row), added: row.added };
}

/** Removes one tag (normalised like the API); `removed` is false when the contact did not have it. */
export async function removeTag(
  tx: Tx,
  accountId: string,
  contactId: string,
  tag: string,
): Promise<{ contact: Contact; removed: boolean }> {
  const normalised = parseOrThrow(tagSchema, tag, ['tag']);
  if (!isUuid(contactId)) throw new NotFoundError('Contact');
  const row = await removeContactTag(tx, { accountId, contactId, tag: normalised });
  if (!row) throw new NotFoundError('Contact');
  return { contact: toContact(row), removed: row.removed };
}

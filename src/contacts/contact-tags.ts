import type { Tx } from '../db/data-source';
import { parseOrThrow } from '../lib/zod-issues';
import { emitTagsAdded } from './contact-events';
import { tagListSchema, tagSchema, uniqueTags, type Contact } from './contact-schema';
import { appendContactTags, findContactRow, removeContactTag, toContact } from './contact-store';

/**
 * Adds tags (normalised like the API) and emits `contact.tag_added` for those that were new. The row
 * is locked first, so two concurrent calls adding the same tag emit it exactly once.
 */
export async function addTags(
  tx: Tx,
  accountId: string,
  contactId: string,
  tags: string[],
): Promise<{ contact: Contact; added: string[] }> {
  const wanted = uniqueTags(parseOrThrow(tagListSchema, tags, ['tags']));
  const current = await findContactRow(tx, accountId, contactId, { forUpdate: true });
  const added = wanted.filter((tag) => !current.tags.includes(tag));
  if (added.length === 0) return { contact: toContact(current), added };
  const row = await appendContactTags(tx, { accountId, contactId, tags: added });
  await emitTagsAdded(tx, accountId, contactId, added);
  return { contact: toContact(row), added };
}

/** Removes one tag (normalised like the API); `removed` is false when the contact did not have it. */
export async function removeTag(
  tx: Tx,
  accountId: string,
  contactId: string,
  tag: string,
): Promise<{ contact: Contact; removed: boolean }> {
  const normalised = parseOrThrow(tagSchema, tag, ['tag']);
  const current = await findContactRow(tx, accountId, contactId, { forUpdate: true });
  if (!current.tags.includes(normalised)) return { contact: toContact(current), removed: false };
  const row = await removeContactTag(tx, { accountId, contactId, tag: normalised });
  return { contact: toContact(row), removed: true };
}

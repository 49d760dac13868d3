import type { Tx } from '../db/data-source';
import { appendEvent } from '../events/outbox';
import type { ContactEvent } from './contact-write-store';

/**
 * One `contact.tag_added` per tag, in the caller's transaction so they commit with the change.
 * addTags (contact-tags.ts) writes the same event, `{tag}`, in its own statement.
 */
export async function emitTagsAdded(
  tx: Tx,
  accountId: string,
  contactId: string,
  tags: readonly string[],
): Promise<void> {
  for (const tag of tags) await appendEvent(tx, { accountId, type: 'contact.tag_added', contactId, data: { tag } });
}

/** A new contact's events, in order: `contact.created`, then one `contact.tag_added` per tag. */
export function contactCreatedEvents(tags: readonly string[]): ContactEvent[] {
  return [{ type: 'contact.created', data: {} }, ...tags.map((tag) => ({ type: 'contact.tag_added', data: { tag } }))];
}

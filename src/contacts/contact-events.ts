import type { Tx } from '../db/data-source';
import { appendEvent } from '../events/outbox';

/** One `contact.tag_added` per tag, in the caller's transaction so they commit with the change. */
export async function emitTagsAdded(
  tx: Tx,
  accountId: string,
  contactId: string,
  tags: readonly string[],
): Promise<void> {
  for (const tag of tags) await appendEvent(tx, { accountId, type: 'contact.tag_added', contactId, data: { tag } });
}

export async function emitContactCreated(tx: Tx, accountId: string, contactId: string): Promise<void> {
  await appendEvent(tx, { accountId, type: 'contact.created', contactId, data: {} });
}

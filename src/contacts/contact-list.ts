import type { Tx } from '../db/data-source';
import { decodeCursor, encodeCursor } from '../lib/keyset-cursor';
import { parseOrThrow } from '../lib/zod-issues';
import { listContactsSchema, type Contact, type ListContactsOptions } from './contact-schema';
import { listContactRows, toContact } from './contact-store';

const DEFAULT_LIMIT = 50;

export { decodeCursor, encodeCursor };

/** A page of the account's contacts, oldest first, keyset-paginated on (created_at, id). */
export async function listContacts(
  tx: Tx,
  accountId: string,
  options: ListContactsOptions = {},
): Promise<{ items: Contact[]; nextCursor: string | null }> {
  const query = parseOrThrow(listContactsSchema, options);
  const limit = query.limit ?? DEFAULT_LIMIT;
  const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
  const rows = await listContactRows(tx, accountId, { email: query.email, tag: query.tag, after, limit: limit + 1 });
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    items: page.map(toContact),
    nextCursor: rows.length > limit && last ? encodeCursor({ at: last.position_at, id: last.id }) : null,
  };
}

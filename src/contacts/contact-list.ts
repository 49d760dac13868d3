import type { Tx } from '../db/data-source';
import { decodeCursor, encodeCursor } from '../lib/keyset-cursor';
import { parseOrThrow } from '../lib/zod-issues';
import { listContactsSchema, type Contact, type ListContactsOptions } from './contact-schema';
import { CONTACT_COLUMNS, toContact, type ContactRow } from './contact-store';

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
  const params: unknown[] = [accountId];
  const where = ['account_id = $1'];
  if (query.email !== undefined) {
    params.push(query.email);
    where.push(`lower(email) = lower($${params.length})`);
  }
  if (query.tag !== undefined) {
    params.push([query.tag]);
    where.push(`tags @> $${params.length}::text[]`);
  }
  if (query.cursor !== undefined) {
    const after = decodeCursor(query.cursor);
    params.push(after.at, after.id);
    where.push(`(created_at, id) > ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
  }
  params.push(limit + 1);
  const rows: (ContactRow & { position_at: string })[] = await tx.query(
    `SELECT ${CONTACT_COLUMNS},
       to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS position_at
     FROM contacts WHERE ${where.join(' AND ')}
     ORDER BY created_at, id LIMIT $${params.length}`,
    params,
  );
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    items: page.map(toContact),
    nextCursor: rows.length > limit && last ? encodeCursor({ at: last.position_at, id: last.id }) : null,
  };
}

import { isStorableText } from '../../accounts/field-schemas';
import type { Tx } from '../../db/data-source';
import { decodeCursor, encodeCursor } from '../../contacts/contact-list';
import type { Contact } from '../../contacts/contact-schema';
import {
  findContactId,
  findContactIdByEmail,
  findContactLabelRows,
  isUuid,
  searchContactRows,
  toContact,
} from '../../contacts/contact-store';
import { ValidationError } from '../../lib/errors';

export interface ContactSearch {
  /** Part of an email, a name (first, last or both) or a phone number; case-insensitive. */
  q?: string;
  /** A tag the contact has (lower-cased like every tag). */
  tag?: string;
  /** `nextCursor` of the previous page. */
  cursor?: string;
  /** Default 50. */
  limit?: number;
}

/** `text` as an ILIKE pattern matching it anywhere (its own `%`, `_` and backslash taken literally). */
export const likePattern = (text: string): string => `%${text.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;

/**
 * The console's contact search: the API's list filters by exact email and tag only; marketers also
 * look people up by part of a name. Newest first, keyset-paginated on (created_at, id), so the
 * thousandth page costs what the first does.
 */
export async function searchContacts(
  tx: Tx,
  accountId: string,
  search: ContactSearch,
): Promise<{ items: Contact[]; nextCursor: string | null }> {
  const limit = search.limit ?? 50;
  for (const field of ['q', 'tag'] as const) {
    // Postgres refuses NUL in text: a 400 here rather than a 500 from the query.
    if (search[field] && !isStorableText(search[field]))
      throw new ValidationError([{ path: field, message: 'must not contain NUL or unpaired surrogate characters' }]);
  }
  const rows = await searchContactRows(tx, accountId, {
    pattern: search.q ? likePattern(search.q) : undefined,
    tag: search.tag ? search.tag.trim().toLowerCase() : undefined,
    before: search.cursor ? decodeCursor(search.cursor) : undefined,
    limit: limit + 1,
  });
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    items: page.map(toContact),
    nextCursor: rows.length > limit && last ? encodeCursor({ at: last.position_at, id: last.id }) : null,
  };
}

export interface ContactLabel {
  id: string;
  label: string;
}

/** "Ann Lee <ann@example.com>" (or what the contact has) for each id of the account. */
export async function contactLabels(
  tx: Tx,
  accountId: string,
  ids: readonly (string | null)[],
): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((id): id is string => id !== null))];
  if (wanted.length === 0) return new Map();
  const rows = await findContactLabelRows(tx, accountId, wanted);
  return new Map(rows.map((row) => [row.id, contactLabel(row)]));
}

export function contactLabel(row: {
  email: string | null;
  phone: string | null;
  first_name?: string | null;
  last_name?: string | null;
}): string {
  const name = [row.first_name, row.last_name].filter(Boolean).join(' ');
  const address = row.email ?? row.phone ?? '';
  return name && address ? `${name} <${address}>` : name || address || '(no name)';
}

/** Finds a contact of the account by id or email (the console's "email or id" inputs); null if none. */
export async function findContactByRef(tx: Tx, accountId: string, ref: string): Promise<{ id: string } | null> {
  const text = ref.trim();
  if (!text || !isStorableText(text)) return null;
  const id = isUuid(text)
    ? await findContactId(tx, accountId, text)
    : await findContactIdByEmail(tx, accountId, { email: text });
  return id ? { id } : null;
}

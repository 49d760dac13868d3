/**
 * The import's statements on `contacts`: match by (account, lower(email)) — the unique index
 * contacts_account_email — and insert or update many contacts in one statement. They live beside
 * the import rather than in contact-store.ts because nothing else writes contacts in bulk; the row
 * shape and the rules (unsubscribe and do-not-disturb are never cleared) are the contact store's.
 */
import type { Tx } from '../../db/data-source';
import { queryRows } from '../../db/sql';
import type { ImportedContact } from './import-row';

export interface LockedContact {
  id: string;
  email_key: string;
  tags: string[];
}

/**
 * The account's contacts with these emails (lower-cased keys), locked in id order until the
 * transaction ends: their tags before the upsert tell which tags the import adds.
 */
export async function lockContactsByEmail(tx: Tx, accountId: string, emailKeys: string[]): Promise<LockedContact[]> {
  if (emailKeys.length === 0) return [];
  return queryRows<LockedContact>(
    tx,
    `SELECT id, lower(email) AS email_key, tags FROM contacts
      WHERE account_id = $1 AND email IS NOT NULL AND lower(email) = ANY ($2::text[])
      ORDER BY id FOR UPDATE`,
    [accountId, emailKeys],
  );
}

export interface UpsertedContact {
  id: string;
  email_key: string;
  inserted: boolean;
}

/**
 * Inserts each contact, or updates the account's contact with its email (any case). An update
 * fills only what the row gives (an empty cell never clears a field), keeps the stored email's
 * spelling, appends the tags the contact lacks, merges custom fields, and may set do-not-disturb
 * but never clears it; `email_unsubscribed_at` is not touched at all. Emails must be distinct
 * (lower-cased) within one call: ON CONFLICT cannot update a row twice in one statement.
 */
export async function upsertContactsByEmail(
  tx: Tx,
  accountId: string,
  contacts: (ImportedContact & { tags: string[] })[],
): Promise<UpsertedContact[]> {
  if (contacts.length === 0) return [];
  const input = contacts.map((contact) => ({
    email: contact.email,
    phone: contact.phone,
    first_name: contact.firstName,
    last_name: contact.lastName,
    timezone: contact.timezone,
    tags: contact.tags,
    custom_fields: contact.customFields,
    dnd: contact.dnd,
  }));
  return queryRows<UpsertedContact>(
    tx,
    `INSERT INTO contacts AS c (account_id, email, phone, first_name, last_name, timezone, tags, custom_fields, dnd)
     SELECT $1, x.email, x.phone, x.first_name, x.last_name, x.timezone, x.tags, x.custom_fields, x.dnd
       FROM jsonb_to_recordset($2::jsonb) AS x(email text, phone text, first_name text, last_name text,
            timezone text, tags text[], custom_fields jsonb, dnd boolean)
     ON CONFLICT (account_id, lower(email)) WHERE email IS NOT NULL DO UPDATE SET
       phone = coalesce(EXCLUDED.phone, c.phone),
       first_name = coalesce(EXCLUDED.first_name, c.first_name),
       last_name = coalesce(EXCLUDED.last_name, c.last_name),
       timezone = coalesce(EXCLUDED.timezone, c.timezone),
       tags = c.tags || ARRAY(SELECT t.tag FROM unnest(EXCLUDED.tags) WITH ORDINALITY AS t(tag, n)
                              WHERE NOT t.tag = ANY (c.tags) ORDER BY t.n),
       custom_fields = c.custom_fields || EXCLUDED.custom_fields,
       dnd = c.dnd OR EXCLUDED.dnd,
       updated_at = now()
     RETURNING c.id, lower(c.email) AS email_key, (c.xmax = 0) AS inserted`,
    [accountId, JSON.stringify(input)],
  );
}

import type { Tx } from '../db/data-source';
import { queryRows } from '../db/sql';
import { isUuid } from './contact-store';

export interface UnsubscribeTarget {
  contactId: string;
  accountId: string;
  email: string | null;
  accountName: string;
  unsubscribed: boolean;
}

/** Who an unsubscribe link stands for (any account: the signed link is the authority), or null. */
export async function findUnsubscribeTarget(tx: Tx, contactId: string): Promise<UnsubscribeTarget | null> {
  if (!isUuid(contactId)) return null;
  const rows: { id: string; account_id: string; email: string | null; name: string; email_unsubscribed_at: Date | null }[] =
    await tx.query(
      `SELECT c.id, c.account_id, c.email, a.name, c.email_unsubscribed_at
         FROM contacts c JOIN accounts a ON a.id = c.account_id WHERE c.id = $1`,
      [contactId],
    );
  const row = rows[0];
  if (!row) return null;
  return {
    contactId: row.id,
    accountId: row.account_id,
    email: row.email,
    accountName: row.name,
    unsubscribed: row.email_unsubscribed_at !== null,
  };
}

/**
 * Marks the contact unsubscribed from email. Idempotent: a second click keeps the first time.
 * Returns false when the contact no longer exists.
 */
export async function unsubscribeFromEmail(tx: Tx, contactId: string): Promise<boolean> {
  if (!isUuid(contactId)) return false;
  const rows = await queryRows<{ id: string }>(
    tx,
    `UPDATE contacts SET email_unsubscribed_at = coalesce(email_unsubscribed_at, now()), updated_at = now()
      WHERE id = $1 RETURNING id`,
    [contactId],
  );
  return rows.length > 0;
}

import type { Tx } from '../db/data-source';
import { findUnsubscribeRow, isUuid, markEmailUnsubscribed } from './contact-store';

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
  const row = await findUnsubscribeRow(tx, contactId);
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
  return markEmailUnsubscribed(tx, contactId);
}

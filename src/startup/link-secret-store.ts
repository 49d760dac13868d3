import type { Tx } from '../db/data-source';
import { execute, queryRows } from '../db/sql';

/** The one row of link_secret: the installation's own secret, or the marker of the legacy constant. */
export type StoredLinkSecret = { source: 'generated'; secret: string } | { source: 'legacy-development'; secret: null };

export async function readStoredLinkSecret(tx: Tx): Promise<StoredLinkSecret | null> {
  const rows = await queryRows<StoredLinkSecret>(tx, 'SELECT source, secret FROM link_secret');
  return rows[0] ?? null;
}

/**
 * Stores the row unless one exists. Two processes starting at once both try; the second waits for
 * the first's commit and stores nothing, and both then read the same row (readStoredLinkSecret).
 */
export async function storeLinkSecretOnce(tx: Tx, row: StoredLinkSecret): Promise<void> {
  await execute(
    tx,
    'INSERT INTO link_secret (singleton, source, secret) VALUES (true, $1, $2) ON CONFLICT (singleton) DO NOTHING',
    [row.source, row.secret],
  );
}

/**
 * Whether this installation has already handed out anything derived from its link secret: a
 * one-time link, an appointment (its reschedule and cancel links), or an email (every email carries
 * an unsubscribe link, delivered or not). It reads other tables, but answers the link secret's
 * question, so it lives here (start-up imports no domain store).
 */
export async function hasMintedLinkTokens(tx: Tx): Promise<boolean> {
  const rows = await queryRows<{ minted: boolean }>(
    tx,
    `SELECT EXISTS (SELECT 1 FROM one_time_links) OR EXISTS (SELECT 1 FROM appointments)
       OR EXISTS (SELECT 1 FROM messages WHERE channel = 'email') AS minted`,
  );
  return rows[0]!.minted;
}

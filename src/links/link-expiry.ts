import type { Db } from '../db/data-source';
import { appendEvent } from '../events/outbox';
import { markDueLinksExpired } from './link-store';

/** How often the maintenance worker marks expired links. */
export const LINK_EXPIRY_EVERY_MS = 60_000;
const BATCH = 500;

/**
 * Marks active links past their time `expired` and appends one `link.expired` per link, in the same
 * transaction. The status flip is the guard: a link leaves `active` once, so its event is written
 * once, however often or concurrently this runs (SKIP LOCKED lets parallel runs split the work).
 * Returns how many links it expired.
 */
export async function expireLinks(db: Db): Promise<number> {
  let total = 0;
  for (;;) {
    const expired = await db.transaction(async (tx) => {
      const rows = await markDueLinksExpired(tx, BATCH);
      for (const row of rows) {
        await appendEvent(tx, {
          accountId: row.account_id,
          type: 'link.expired',
          contactId: row.contact_id,
          data: {
            linkId: row.id,
            calendarId: row.calendar_id,
            calendarSlug: row.calendar_slug,
            contactId: row.contact_id,
            uses: row.uses,
            maxUses: row.max_uses,
            expiresAt: row.expires_at.toISOString(),
          },
        });
      }
      return rows.length;
    });
    total += expired;
    if (expired < BATCH) return total;
  }
}

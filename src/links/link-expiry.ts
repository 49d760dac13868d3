import type { Queues } from '../queue/queues';
import type { Db } from '../db/data-source';
import { queryRows } from '../db/sql';
import { appendEvent } from '../events/outbox';

/** How often the maintenance worker marks expired links. */
export const LINK_EXPIRY_EVERY_MS = 60_000;
const BATCH = 500;

interface ExpiredRow {
  id: string;
  account_id: string;
  calendar_id: string;
  calendar_slug: string;
  contact_id: string | null;
  uses: number;
  max_uses: number;
  expires_at: Date;
}

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
      const rows = await queryRows<ExpiredRow>(
        tx,
        `UPDATE one_time_links l SET status = 'expired'
         FROM calendars c
         WHERE c.id = l.calendar_id AND l.status = 'active' AND l.id IN (
           SELECT id FROM one_time_links WHERE status = 'active' AND expires_at <= now()
           ORDER BY expires_at LIMIT $1 FOR UPDATE SKIP LOCKED)
         RETURNING l.id, l.account_id, l.calendar_id, c.slug AS calendar_slug, l.contact_id, l.uses, l.max_uses, l.expires_at`,
        [BATCH],
      );
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

/** Registers the repeating `links.expire` job (idempotent: every worker process may call it at start). */
export async function scheduleLinkExpiry(queues: Queues): Promise<void> {
  await queues
    .queue('maintenance')
    .upsertJobScheduler('links.expire', { every: LINK_EXPIRY_EVERY_MS }, { name: 'links.expire', data: {}, opts: { attempts: 1 } });
}

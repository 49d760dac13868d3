import type { Db } from '../db/data-source';
import { deleteSpentLinks } from './link-store';

/** Links deleted per statement. */
export const LINK_PRUNE_BATCH = 1000;

/**
 * Deletes one batch of spent links (used, expired, revoked) whose expiry time is before `before`;
 * returns how many. An active link is never deleted, and a spent one is kept `LINK_RETENTION_DAYS`
 * past its expiry so that its page keeps saying "expired, contact the owner" with the owner's name:
 * a token the database no longer knows gets the same page without it.
 */
export function pruneSpentLinksBatch(db: Db, before: Date): Promise<number> {
  return deleteSpentLinks(db.manager, { before, limit: LINK_PRUNE_BATCH });
}

import type { Db } from '../db/data-source';
import { batchByKey, type KeyedBatch } from '../db/keyed-batch';
import { spendLinksAndBook, type SpendAndBook, type SpentAndBooked } from './link-store';

/**
 * The group commit of an API process's bookings: the spend-and-book statements of concurrent
 * `POST /book/:token` requests go in one statement (spendLinksAndBook), keyed by link (two bookings
 * of one link never share it), each request answered once it committed. A statement PostgreSQL
 * refuses (a slot taken, by a booked appointment or by another booking of the batch; a deadlock with
 * another process's batch) is written again booking by booking, so that only its own request fails.
 */
export type LinkSpendBatch = KeyedBatch<SpendAndBook, SpentAndBooked | null>;

export function createLinkSpendBatch(db: Db): LinkSpendBatch {
  return batchByKey(
    (booking: SpendAndBook) => booking.seen.id,
    (bookings: SpendAndBook[]) => spendLinksAndBook(db.manager, bookings),
  );
}

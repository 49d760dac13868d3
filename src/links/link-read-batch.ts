import type { Db } from '../db/data-source';
import { batchByKey, type KeyedBatch } from '../db/keyed-batch';
import { findLinksForRedemption, type ConsumedLink } from './link-store';

/**
 * The group commit of an API process's booking reads: the one-time links that concurrent
 * `POST /book/:token` requests look up by their token's hash are read in one statement
 * (findLinksForRedemption), each request answered with its own link once the statement is back.
 * A read decides nothing by itself: the booking statement spends the link only if it is still as
 * read (redeemInOneStatement).
 */
export type LinkReadBatch = KeyedBatch<string, ConsumedLink | null>;

export function createLinkReadBatch(db: Db): LinkReadBatch {
  return batchByKey(
    (hash: string) => hash,
    (hashes: string[]) => findLinksForRedemption(db.manager, hashes),
  );
}

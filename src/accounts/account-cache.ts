import type { Tx } from '../db/data-source';
import { versionedCache } from '../lib/versioned-cache';
import { findAccountRow, type AccountRow } from './account-store';

/** Accounts' rows kept per process; the least recently stored goes first. */
const MAX_ACCOUNTS = 1000;
const accounts = versionedCache<Tx, AccountRow | null>(MAX_ACCOUNTS, findAccountRow);

/**
 * An account's row, reused while the row has not changed: `version` is its `<xmin>/<ctid>` read by
 * the caller's own statement (accountVersionOf in account-store.ts), which every update of the
 * account changes (its name, sender, Reply-To, zone), so a changed account is read again by the next
 * caller, never served stale. Without a version (the account is gone) it is read: null. The rows are
 * shared: callers must not change them.
 */
export async function accountAtVersion(tx: Tx, accountId: string, version: string | null): Promise<AccountRow | null> {
  return accounts.get(tx, accountId, version);
}

import type { Tx } from '../db/data-source';
import { queryRows } from '../db/sql';

/** One row of accounts as the rest of the code reads it (`is_default` and `created_at` stay inside). */
export interface AccountRow {
  id: string;
  name: string;
  timezone: string;
}

const COLUMNS = 'id, name, timezone';

export async function insertAccount(tx: Tx, options: { name: string; timezone: string }): Promise<AccountRow> {
  const rows = await queryRows<AccountRow>(
    tx,
    `INSERT INTO accounts (name, timezone) VALUES ($1, $2) RETURNING ${COLUMNS}`,
    [options.name, options.timezone],
  );
  return rows[0]!;
}

export async function findAccountRow(tx: Tx, accountId: string): Promise<AccountRow | null> {
  const rows = await queryRows<AccountRow>(tx, `SELECT ${COLUMNS} FROM accounts WHERE id = $1`, [accountId]);
  return rows[0] ?? null;
}

/**
 * Locks the account row until the transaction ends; false when there is none (`accountId` must be a
 * uuid). `share` keeps it from being deleted meanwhile; `no-key-update` also queues writers that
 * take the same lock, without holding up inserts of rows that reference the account.
 */
export async function lockAccount(tx: Tx, accountId: string, mode: 'share' | 'no-key-update'): Promise<boolean> {
  const lock = mode === 'share' ? 'FOR SHARE' : 'FOR NO KEY UPDATE';
  const rows = await queryRows<unknown>(tx, `SELECT 1 FROM accounts WHERE id = $1 ${lock}`, [accountId]);
  return rows.length > 0;
}

export async function findDefaultAccountId(tx: Tx): Promise<string | undefined> {
  const rows = await queryRows<{ id: string }>(tx, 'SELECT id FROM accounts WHERE is_default');
  return rows[0]?.id;
}

/**
 * Inserts the default account; null when one exists. A concurrent creator makes this wait for its
 * commit, then do nothing (the partial unique index on is_default decides).
 */
export async function insertDefaultAccount(tx: Tx): Promise<string | null> {
  const rows = await queryRows<{ id: string }>(
    tx,
    `INSERT INTO accounts (name, timezone, is_default) VALUES ('Default', 'UTC', true)
     ON CONFLICT (is_default) WHERE is_default DO NOTHING RETURNING id`,
  );
  return rows[0]?.id ?? null;
}

import type { Tx } from '../db/data-source';
import { queryRows } from '../db/sql';

/** Where the console shows times: in the account's zone, or in each viewer's browser zone. */
export type ConsoleZone = 'account' | 'viewer';

/** One row of accounts as the rest of the code reads it (`is_default` and `created_at` stay inside). */
export interface AccountRow {
  id: string;
  name: string;
  timezone: string;
  /** The display name of its emails' From; null: the account's name. */
  sender_name: string | null;
  /** Its emails' Reply-To; null: none (replies go to MAIL_FROM). */
  reply_to: string | null;
  console_zone: ConsoleZone;
  /** When its settings were first saved; null: the next admin sign-in is asked for them. */
  settings_confirmed_at: Date | null;
}

const COLUMNS = 'id, name, timezone, sender_name, reply_to, console_zone, settings_confirmed_at';
/** The columns of AccountRow, for a statement elsewhere that reads an account with its own rows. */
export { COLUMNS as ACCOUNT_COLUMNS };

/**
 * The version of the account row that the row named `alias` points to (by its `account_id`):
 * `<xmin>/<ctid>`, which every update of the account changes (a new row version has a new xmin and a
 * new place). A statement that reads it with its own rows lets the caller reuse the account's row read
 * before (src/accounts/account-cache.ts). Null if the account is gone.
 */
export const accountVersionOf = (alias: string): string =>
  `(SELECT a.xmin::text || '/' || a.ctid::text FROM accounts a WHERE a.id = ${alias}.account_id)`;

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

/** The settings a PATCH may change; an absent field keeps its value. */
export interface AccountChanges {
  name?: string;
  timezone?: string;
  senderName?: string | null;
  replyTo?: string | null;
  consoleZone?: ConsoleZone;
}

/**
 * Applies `changes` in one statement and marks the settings confirmed (the first save stamps the
 * time, later ones keep it); null when there is no such account. For the nullable columns a flag
 * tells "keep" apart from "set to null".
 */
export async function updateAccountSettings(
  tx: Tx,
  accountId: string,
  changes: AccountChanges,
): Promise<AccountRow | null> {
  const keep = (value: unknown): boolean => value === undefined;
  const rows = await queryRows<AccountRow>(
    tx,
    `UPDATE accounts SET
       name = COALESCE($2::text, name),
       timezone = COALESCE($3::text, timezone),
       sender_name = CASE WHEN $4::boolean THEN sender_name ELSE $5::text END,
       reply_to = CASE WHEN $6::boolean THEN reply_to ELSE $7::text END,
       console_zone = COALESCE($8::text, console_zone),
       settings_confirmed_at = COALESCE(settings_confirmed_at, now())
     WHERE id = $1 RETURNING ${COLUMNS}`,
    [
      accountId,
      changes.name ?? null,
      changes.timezone ?? null,
      keep(changes.senderName),
      changes.senderName ?? null,
      keep(changes.replyTo),
      changes.replyTo ?? null,
      changes.consoleZone ?? null,
    ],
  );
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

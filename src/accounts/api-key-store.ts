import type { Tx } from '../db/data-source';
import { execute, queryRows } from '../db/sql';
import { randomToken, sha256Hex } from '../lib/secrets';
import type { ApiKeyScope } from './account-schema';

/** One row of api_keys. The key itself is never stored: key_hash = sha256(key). */
export interface ApiKeyRow {
  id: string;
  account_id: string;
  name: string;
  prefix: string | null;
  scope: ApiKeyScope;
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

/** The channel a key's revocation (or move) notifies, with the key's id; sent when it commits (see api-key-cache.ts). */
export const API_KEY_CHANNEL = 'linkflow_api_keys';

const COLUMNS = 'id, account_id, name, prefix, scope, created_at, last_used_at, revoked_at';

/** A new API key: `lf_` and 256 random bits, shown to its owner once. */
export function newApiKey(): string {
  return `lf_${randomToken()}`;
}

/** What the listing shows of a generated key: `lf_` and 8 characters (48 of its 256 bits). */
export function prefixOf(apiKey: string): string | null {
  return /^lf_[A-Za-z0-9_-]{43}$/.test(apiKey) ? apiKey.slice(0, 11) : null;
}

export async function insertApiKey(
  tx: Tx,
  options: { accountId: string; apiKey: string; name: string; scope: ApiKeyScope },
): Promise<ApiKeyRow> {
  const rows = await queryRows<ApiKeyRow>(
    tx,
    `INSERT INTO api_keys (account_id, key_hash, name, prefix, scope) VALUES ($1, $2, $3, $4, $5) RETURNING ${COLUMNS}`,
    [options.accountId, sha256Hex(options.apiKey), options.name, prefixOf(options.apiKey), options.scope],
  );
  return rows[0]!;
}

/** The live (not revoked) key of a presented secret; a revoked or unknown one is null. */
export async function findLiveKeyBySecret(
  tx: Tx,
  apiKey: string,
  options: { lock?: 'share' } = {},
): Promise<ApiKeyRow | null> {
  const rows = await queryRows<ApiKeyRow>(
    tx,
    `SELECT ${COLUMNS} FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL${options.lock === 'share' ? ' FOR SHARE' : ''}`,
    [sha256Hex(apiKey)],
    // The unlocked lookup of every API request: planned once per connection, committed with the
    // statements of the requests that come at the same moment (a read in its own snapshot all the same).
    options.lock === 'share' ? undefined : { prepare: 'api-key-by-secret', group: true },
  );
  return rows[0] ?? null;
}

/** A key by its secret, revoked or not (start-up checks the configured API_KEY with it). */
export async function findKeyBySecret(tx: Tx, apiKey: string): Promise<ApiKeyRow | null> {
  const rows = await queryRows<ApiKeyRow>(tx, `SELECT ${COLUMNS} FROM api_keys WHERE key_hash = $1`, [
    sha256Hex(apiKey),
  ]);
  return rows[0] ?? null;
}

export async function findKeyById(tx: Tx, keyId: string): Promise<ApiKeyRow | null> {
  const rows = await queryRows<ApiKeyRow>(tx, `SELECT ${COLUMNS} FROM api_keys WHERE id = $1`, [keyId]);
  return rows[0] ?? null;
}

/** Every key of an account, revoked ones too, oldest first. */
export async function listKeyRows(tx: Tx, accountId: string): Promise<ApiKeyRow[]> {
  return queryRows<ApiKeyRow>(tx, `SELECT ${COLUMNS} FROM api_keys WHERE account_id = $1 ORDER BY created_at, id`, [
    accountId,
  ]);
}

export async function countLiveKeys(tx: Tx, accountId: string): Promise<number> {
  const rows = await queryRows<{ count: number }>(
    tx,
    'SELECT count(*)::int AS count FROM api_keys WHERE account_id = $1 AND revoked_at IS NULL',
    [accountId],
  );
  return rows[0]!.count;
}

/** Marks a live key revoked; a key already revoked keeps its first revocation time. */
export async function markRevoked(tx: Tx, keyId: string): Promise<void> {
  // The notification reaches every API process's key cache when (and only if) the revocation commits.
  await execute(
    tx,
    `WITH revoked AS (UPDATE api_keys SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL RETURNING id)
     SELECT pg_notify('${API_KEY_CHANNEL}', id::text) FROM revoked`,
    [keyId],
  );
}

/**
 * Records a use. The guard makes every process together write at most once a minute per key
 * (a row version per request would bloat the table and contend on hot keys); returns whether it wrote.
 */
export async function touchLastUsed(tx: Tx, keyId: string): Promise<boolean> {
  const rows = await queryRows<{ id: string }>(
    tx,
    `UPDATE api_keys SET last_used_at = now()
     WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute') RETURNING id`,
    [keyId],
  );
  return rows.length > 0;
}

/**
 * Makes the operator's configured key an admin key of `accountId`, even if its hash was seen before,
 * but never brings a revoked one back: its revocation stands, whatever the environment says.
 */
export async function upsertConfiguredAdminKey(
  tx: Tx,
  options: { accountId: string; apiKey: string; name: string },
): Promise<void> {
  // A key moved to another account or scope is forgotten by every API process's key cache, as a revoked one.
  await execute(
    tx,
    `WITH upserted AS (
       INSERT INTO api_keys (account_id, key_hash, name, prefix, scope) VALUES ($1, $2, $3, $4, 'admin')
       ON CONFLICT (key_hash) DO UPDATE SET account_id = EXCLUDED.account_id, scope = 'admin'
       WHERE api_keys.revoked_at IS NULL AND (api_keys.account_id <> EXCLUDED.account_id OR api_keys.scope <> 'admin')
       RETURNING id
     )
     SELECT pg_notify('${API_KEY_CHANNEL}', id::text) FROM upserted`,
    [options.accountId, sha256Hex(options.apiKey), options.name, prefixOf(options.apiKey)],
  );
}

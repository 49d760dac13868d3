import type { Tx } from '../db/data-source';
import { execute, queryRows } from '../db/sql';
import type { ConsoleZone } from './account-store';
import { findLiveKeyBySecret } from './api-key-store';
import { randomToken, sha256Hex } from '../lib/secrets';

/** How long a console sign-in lasts: 12 hours, then the marketer signs in again. */
export const SESSION_TTL_MS = 12 * 3600 * 1000;

export interface ConsoleSession {
  id: string;
  accountId: string;
  scope: 'admin' | 'account';
  /** The key signed in with: the session ends when it is revoked. */
  apiKeyId: string;
  /** Every console form carries it; a POST without it (or with another) is refused. */
  csrfToken: string;
  expiresAt: Date;
  /** The account's zone and where its console shows times, read with the session on every request. */
  accountZone: string;
  consoleZone: ConsoleZone;
  /** False until the account's settings were first saved: an admin sign-in is asked for them. */
  settingsConfirmed: boolean;
}

interface SessionRow {
  id: string;
  account_id: string;
  scope: ConsoleSession['scope'];
  api_key_id: string;
  csrf_token: string;
  expires_at: Date;
  account_zone: string;
  console_zone: ConsoleZone;
  settings_confirmed_at: Date | null;
}

const toSession = (row: SessionRow): ConsoleSession => ({
  id: row.id,
  accountId: row.account_id,
  scope: row.scope,
  apiKeyId: row.api_key_id,
  csrfToken: row.csrf_token,
  expiresAt: row.expires_at,
  accountZone: row.account_zone,
  consoleZone: row.console_zone,
  settingsConfirmed: row.settings_confirmed_at !== null,
});

const SESSION_COLUMNS = 's.id, s.account_id, s.scope, s.api_key_id, s.csrf_token, s.expires_at';
/** The session's account settings, from `accounts a`. */
const ACCOUNT_COLUMNS = 'a.timezone AS account_zone, a.console_zone, a.settings_confirmed_at';

/**
 * Exchanges an API key for a session, checked like `requireApiKey` (the SHA-256 of a live key).
 * Returns the cookie token (stored only as its hash) and the session; null for an unknown or revoked key.
 */
export async function signIn(tx: Tx, apiKey: string): Promise<{ token: string; session: ConsoleSession } | null> {
  // FOR SHARE: a revocation committing between this read and the insert below waits for this
  // sign-in instead, so no session is created for a key revoked meanwhile (findSession checks too).
  const key = await findLiveKeyBySecret(tx, apiKey, { lock: 'share' });
  if (!key) return null;
  // Sign-ins are rare, so each one sweeps the sessions that ran out or whose key was revoked.
  await execute(
    tx,
    `DELETE FROM console_sessions s USING api_keys k
     WHERE k.id = s.api_key_id AND (s.expires_at < now() OR k.revoked_at IS NOT NULL)`,
  );
  const token = randomToken();
  const rows = await queryRows<SessionRow>(
    tx,
    `WITH s AS (
       INSERT INTO console_sessions AS s (token_hash, account_id, scope, api_key_id, csrf_token, expires_at)
       VALUES ($1, $2, $3, $4, $5, now() + $6 * interval '1 millisecond')
       RETURNING ${SESSION_COLUMNS}
     )
     SELECT ${SESSION_COLUMNS}, ${ACCOUNT_COLUMNS} FROM s JOIN accounts a ON a.id = s.account_id`,
    [sha256Hex(token), key.account_id, key.scope, key.id, randomToken(), SESSION_TTL_MS],
  );
  return { token, session: toSession(rows[0]!) };
}

/** The live session of a cookie token; null when unknown, expired, or its key was revoked. */
export async function findSession(tx: Tx, token: string): Promise<ConsoleSession | null> {
  const rows = await queryRows<SessionRow>(
    tx,
    `SELECT ${SESSION_COLUMNS}, ${ACCOUNT_COLUMNS}
     FROM console_sessions s JOIN api_keys k ON k.id = s.api_key_id JOIN accounts a ON a.id = s.account_id
     WHERE s.token_hash = $1 AND s.expires_at > now() AND k.revoked_at IS NULL`,
    [sha256Hex(token)],
  );
  return rows[0] ? toSession(rows[0]) : null;
}

/** Signs out: the session is gone, whatever copy of the cookie remains. */
export async function deleteSession(tx: Tx, sessionId: string): Promise<boolean> {
  const rows = await queryRows(tx, 'DELETE FROM console_sessions WHERE id = $1 RETURNING id', [sessionId]);
  return rows.length > 0;
}

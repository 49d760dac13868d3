import type { Tx } from '../../db/data-source';
import { queryRows } from '../../db/sql';
import { randomToken, sha256Hex } from '../../lib/secrets';

/** How long a console sign-in lasts: 12 hours, then the marketer signs in again. */
export const SESSION_TTL_MS = 12 * 3600 * 1000;

export interface ConsoleSession {
  id: string;
  accountId: string;
  scope: 'admin' | 'account';
  /** Every console form carries it; a POST without it (or with another) is refused. */
  csrfToken: string;
  expiresAt: Date;
}

interface SessionRow {
  id: string;
  account_id: string;
  scope: ConsoleSession['scope'];
  csrf_token: string;
  expires_at: Date;
}

const toSession = (row: SessionRow): ConsoleSession => ({
  id: row.id,
  accountId: row.account_id,
  scope: row.scope,
  csrfToken: row.csrf_token,
  expiresAt: row.expires_at,
});

/**
 * Exchanges an API key for a session, checked like `requireApiKey` (the key's SHA-256 in api_keys).
 * Returns the cookie token (stored only as its hash) and the session; null for an unknown key.
 */
export async function signIn(tx: Tx, apiKey: string): Promise<{ token: string; session: ConsoleSession } | null> {
  const keys: { account_id: string; scope: ConsoleSession['scope'] }[] = await tx.query(
    'SELECT account_id, scope FROM api_keys WHERE key_hash = $1',
    [sha256Hex(apiKey)],
  );
  const key = keys[0];
  if (!key) return null;
  // Sign-ins are rare, so each one sweeps the sessions that ran out.
  await tx.query('DELETE FROM console_sessions WHERE expires_at < now()');
  const token = randomToken();
  const rows: SessionRow[] = await tx.query(
    `INSERT INTO console_sessions (token_hash, account_id, scope, csrf_token, expires_at)
     VALUES ($1, $2, $3, $4, now() + $5 * interval '1 millisecond')
     RETURNING id, account_id, scope, csrf_token, expires_at`,
    [sha256Hex(token), key.account_id, key.scope, randomToken(), SESSION_TTL_MS],
  );
  return { token, session: toSession(rows[0]!) };
}

/** The live session of a cookie token; null when unknown or expired. */
export async function findSession(tx: Tx, token: string): Promise<ConsoleSession | null> {
  const rows: SessionRow[] = await tx.query(
    `SELECT id, account_id, scope, csrf_token, expires_at FROM console_sessions
     WHERE token_hash = $1 AND expires_at > now()`,
    [sha256Hex(token)],
  );
  return rows[0] ? toSession(rows[0]) : null;
}

/** Signs out: the session is gone, whatever copy of the cookie remains. */
export async function deleteSession(tx: Tx, sessionId: string): Promise<boolean> {
  const rows = await queryRows(tx, 'DELETE FROM console_sessions WHERE id = $1 RETURNING id', [sessionId]);
  return rows.length > 0;
}

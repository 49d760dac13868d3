import type { Tx } from '../db/data-source';
import { randomToken, sha256Hex } from '../lib/secrets';
import { parseOrThrow } from '../lib/zod-issues';
import { createAccountSchema, type Account, type ApiKeyScope, type CreateAccountInput } from './account-schema';

export interface CreateAccountOptions extends CreateAccountInput {
  /** Scope of the account's first API key. Default 'account'. */
  scope?: ApiKeyScope;
}

/** A new API key: shown to its owner once; only its SHA-256 is stored. */
export function newApiKey(): string {
  return `lf_${randomToken()}`;
}

export async function insertApiKey(tx: Tx, accountId: string, apiKey: string, scope: ApiKeyScope): Promise<void> {
  await tx.query('INSERT INTO api_keys (account_id, key_hash, scope) VALUES ($1, $2, $3)', [accountId, sha256Hex(apiKey), scope]);
}

/** Creates an account and its first API key; the key is returned here and never again. */
export async function createAccount(tx: Tx, options: CreateAccountOptions): Promise<{ account: Account; apiKey: string }> {
  const { name, timezone } = parseOrThrow(createAccountSchema, { name: options.name, timezone: options.timezone });
  const rows: Account[] = await tx.query(
    'INSERT INTO accounts (name, timezone) VALUES ($1, $2) RETURNING id, name, timezone',
    [name, timezone ?? 'UTC'],
  );
  const account = rows[0]!;
  const apiKey = newApiKey();
  await insertApiKey(tx, account.id, apiKey, options.scope ?? 'account');
  return { account: { id: account.id, name: account.name, timezone: account.timezone }, apiKey };
}

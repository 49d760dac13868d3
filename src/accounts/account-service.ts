import type { Tx } from '../db/data-source';
import { NotFoundError } from '../lib/errors';
import { parseOrThrow } from '../lib/zod-issues';
import {
  createAccountSchema,
  updateAccountSchema,
  type Account,
  type ApiKeyScope,
  type CreateAccountInput,
} from './account-schema';
import { findAccountRow, insertAccount, updateAccountSettings, type AccountRow } from './account-store';
import { createApiKey } from './api-key-service';

export interface CreateAccountOptions extends CreateAccountInput {
  /** Scope of the account's first API key. Default 'account'. */
  scope?: ApiKeyScope;
}

/** Name of the key an account is created with. */
export const FIRST_KEY_NAME = 'First key';

export function toAccount(row: AccountRow): Account {
  return {
    id: row.id,
    name: row.name,
    timezone: row.timezone,
    senderName: row.sender_name,
    replyTo: row.reply_to,
    consoleZone: row.console_zone,
  };
}

/** Creates an account and its first API key; the key is returned here and never again. */
export async function createAccount(
  tx: Tx,
  options: CreateAccountOptions,
): Promise<{ account: Account; apiKey: string }> {
  const { name, timezone } = parseOrThrow(createAccountSchema, { name: options.name, timezone: options.timezone });
  const account = await insertAccount(tx, { name, timezone: timezone ?? 'UTC' });
  const { key } = await createApiKey(tx, {
    accountId: account.id,
    name: FIRST_KEY_NAME,
    scope: options.scope ?? 'account',
  });
  return { account: toAccount(account), apiKey: key };
}

export async function getAccount(tx: Tx, accountId: string): Promise<Account> {
  const row = await findAccountRow(tx, accountId);
  if (!row) throw new NotFoundError('Account');
  return toAccount(row);
}

/**
 * Changes the account's settings from an API body or the console's form (unknown fields are
 * refused) and marks them confirmed: the first admin sign-in stops asking. No permission check
 * beyond being the account's own caller: every key of an account may change its settings.
 */
export async function updateAccount(tx: Tx, accountId: string, input: unknown): Promise<Account> {
  const changes = parseOrThrow(updateAccountSchema, input);
  const row = await updateAccountSettings(tx, accountId, changes);
  if (!row) throw new NotFoundError('Account');
  return toAccount(row);
}

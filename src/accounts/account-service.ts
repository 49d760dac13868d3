import type { Tx } from '../db/data-source';
import { parseOrThrow } from '../lib/zod-issues';
import { createAccountSchema, type Account, type ApiKeyScope, type CreateAccountInput } from './account-schema';
import { insertAccount } from './account-store';
import { createApiKey } from './api-key-service';

export interface CreateAccountOptions extends CreateAccountInput {
  /** Scope of the account's first API key. Default 'account'. */
  scope?: ApiKeyScope;
}

/** Name of the key an account is created with. */
export const FIRST_KEY_NAME = 'First key';

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
  return { account: { id: account.id, name: account.name, timezone: account.timezone }, apiKey: key };
}

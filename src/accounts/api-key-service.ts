import type { Tx } from '../db/data-source';
import { ConflictError, ForbiddenError, NotFoundError } from '../lib/errors';
import { parseOrThrow } from '../lib/zod-issues';
import type { ApiKeyScope } from './account-schema';
import { lockAccount } from './account-store';
import { createApiKeySchema, type ApiKeyView, type CreatedApiKey } from './api-key-schema';
import {
  countLiveKeys,
  findKeyById,
  insertApiKey,
  listKeyRows,
  markRevoked,
  newApiKey,
  type ApiKeyRow,
} from './api-key-store';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Who asks: the account and scope of the key (or console session) making the request. */
export interface KeyCaller {
  accountId: string;
  scope: ApiKeyScope;
}

export function toApiKeyView(row: ApiKeyRow): ApiKeyView {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scope: row.scope,
    createdAt: row.created_at.toISOString(),
    lastUsedAt: row.last_used_at?.toISOString() ?? null,
    revokedAt: row.revoked_at?.toISOString() ?? null,
  };
}

/** Creates a key of `accountId`; the key is in the answer and never again. No permission check: see createApiKeyFor. */
export async function createApiKey(
  tx: Tx,
  options: { accountId: string; name: string; scope: ApiKeyScope },
): Promise<CreatedApiKey> {
  const key = newApiKey();
  const row = await insertApiKey(tx, { ...options, apiKey: key });
  const { id, name, prefix, scope, createdAt } = toApiKeyView(row);
  return { id, name, key, prefix, scope, createdAt };
}

/** A key of the caller's own account, from an API body or console form; only an admin may make an admin key. */
export async function createApiKeyFor(tx: Tx, caller: KeyCaller, input: unknown): Promise<CreatedApiKey> {
  const { name, admin } = parseOrThrow(createApiKeySchema, input);
  if (admin && caller.scope !== 'admin') throw new ForbiddenError('Only an admin key may create an admin key');
  return createApiKey(tx, { accountId: caller.accountId, name, scope: admin ? 'admin' : 'account' });
}

export async function listApiKeys(tx: Tx, accountId: string): Promise<ApiKeyView[]> {
  return (await listKeyRows(tx, accountId)).map(toApiKeyView);
}

/**
 * Revokes a key of `accountId` (another account's key is not found). Revoking a revoked key changes
 * nothing. The account's last live key cannot be revoked: the account would be locked out for good.
 */
export async function revokeApiKey(tx: Tx, options: { accountId: string; keyId: string }): Promise<ApiKeyView> {
  const { accountId, keyId } = options;
  // Two revocations of an account's last two keys, each counting two live keys, would leave none:
  // the account row's lock makes them count one after the other. (NO KEY UPDATE: inserts of rows
  // that reference the account are not held up.)
  await lockAccount(tx, accountId, 'no-key-update');
  const key = UUID.test(keyId) ? await findKeyById(tx, keyId) : null;
  if (!key || key.account_id !== accountId) throw new NotFoundError('API key');
  if (key.revoked_at) return toApiKeyView(key);
  if ((await countLiveKeys(tx, accountId)) <= 1) {
    throw new ConflictError("This is the account's last API key: create another one before revoking it");
  }
  await markRevoked(tx, keyId);
  return toApiKeyView((await findKeyById(tx, keyId))!);
}

import type { Container } from '../container';
import type { Tx } from '../db/data-source';
import { findDefaultAccountId, insertDefaultAccount } from './account-store';
import { createApiKey } from './api-key-service';
import { findKeyBySecret, upsertConfiguredAdminKey } from './api-key-store';

export interface DefaultAccount {
  accountId: string;
  /** Set only when this call created the default account without a configured API_KEY; print it once. */
  generatedApiKey?: string;
  /** Set when the configured API_KEY was revoked: it stays revoked and authenticates nothing. */
  configuredKeyRevoked?: true;
}

/** Names of the default account's bootstrap keys, as the key listings show them. */
const CONFIGURED_KEY_NAME = 'API_KEY (configured)';
const GENERATED_KEY_NAME = 'Generated at first start';

/**
 * Makes sure the default (admin) account exists, and that `API_KEY`, when configured, is one of its
 * admin keys, unless that key was revoked: then it stays revoked and a warning says so.
 * Safe when several processes start at once: the unique indexes decide who creates.
 */
export async function ensureDefaultAccount(
  container: Pick<Container, 'db' | 'config' | 'logger'>,
): Promise<DefaultAccount> {
  const configuredKey = container.config.API_KEY;
  return container.db.transaction(async (tx) => {
    const { accountId, created } = await findOrCreateDefault(tx);
    if (configuredKey) {
      const known = await findKeyBySecret(tx, configuredKey);
      if (known?.revoked_at) {
        container.logger.warn(
          { keyId: known.id },
          'the configured API_KEY is revoked: it is not re-created and authenticates nothing (set another API_KEY or remove it)',
        );
        return { accountId, configuredKeyRevoked: true };
      }
      // The operator's key is the admin key by definition, even if the hash was seen before.
      await upsertConfiguredAdminKey(tx, { accountId, apiKey: configuredKey, name: CONFIGURED_KEY_NAME });
      return { accountId };
    }
    if (!created) return { accountId };
    const { key } = await createApiKey(tx, { accountId, name: GENERATED_KEY_NAME, scope: 'admin' });
    return { accountId, generatedApiKey: key };
  });
}

async function findOrCreateDefault(tx: Tx): Promise<{ accountId: string; created: boolean }> {
  const existing = await findDefaultAccountId(tx);
  if (existing) return { accountId: existing, created: false };
  // A concurrent creator makes this wait for its commit, then do nothing; we read its row below.
  const inserted = await insertDefaultAccount(tx);
  if (inserted) return { accountId: inserted, created: true };
  const winner = await findDefaultAccountId(tx);
  if (!winner) throw new Error('default account vanished while it was being created');
  return { accountId: winner, created: false };
}

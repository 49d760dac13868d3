import type { Container } from '../container';
import type { Tx } from '../db/data-source';
import { sha256Hex } from '../lib/secrets';
import { insertApiKey, newApiKey } from './account-service';

export interface DefaultAccount {
  accountId: string;
  /** Set only when this call created the default account without a configured API_KEY; print it once. */
  generatedApiKey?: string;
}

/**
 * Makes sure the default (admin) account exists, and that `API_KEY`, when configured, is one of its
 * admin keys. Safe when several processes start at once: the unique indexes decide who creates.
 */
export async function ensureDefaultAccount(container: Pick<Container, 'db' | 'config'>): Promise<DefaultAccount> {
  const configuredKey = container.config.API_KEY;
  return container.db.transaction(async (tx) => {
    const { accountId, created } = await findOrCreateDefault(tx);
    if (configuredKey) {
      // The operator's key is the admin key by definition, even if the hash was seen before.
      await tx.query(
        `INSERT INTO api_keys (account_id, key_hash, scope) VALUES ($1, $2, 'admin')
         ON CONFLICT (key_hash) DO UPDATE SET account_id = EXCLUDED.account_id, scope = 'admin'
         WHERE api_keys.account_id <> EXCLUDED.account_id OR api_keys.scope <> 'admin'`,
        [accountId, sha256Hex(configuredKey)],
      );
      return { accountId };
    }
    if (!created) return { accountId };
    const generatedApiKey = newApiKey();
    await insertApiKey(tx, accountId, generatedApiKey, 'admin');
    return { accountId, generatedApiKey };
  });
}

async function findOrCreateDefault(tx: Tx): Promise<{ accountId: string; created: boolean }> {
  const existing = await selectDefault(tx);
  if (existing) return { accountId: existing, created: false };
  // A concurrent creator makes this wait for its commit, then do nothing; we read its row below.
  const inserted: { id: string }[] = await tx.query(
    `INSERT INTO accounts (name, timezone, is_default) VALUES ('Default', 'UTC', true)
     ON CONFLICT (is_default) WHERE is_default DO NOTHING RETURNING id`,
  );
  if (inserted[0]) return { accountId: inserted[0].id, created: true };
  const winner = await selectDefault(tx);
  if (!winner) throw new Error('default account vanished while it was being created');
  return { accountId: winner, created: false };
}

async function selectDefault(tx: Tx): Promise<string | undefined> {
  const rows: { id: string }[] = await tx.query('SELECT id FROM accounts WHERE is_default');
  return rows[0]?.id;
}

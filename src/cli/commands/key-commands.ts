import { createApiKey, listApiKeys, revokeApiKey } from '../../accounts/api-key-service';
import { lockAccount } from '../../accounts/account-store';
import { findKeyById } from '../../accounts/api-key-store';
import { createApiKeySchema } from '../../accounts/api-key-schema';
import { isUuid } from '../../contacts/contact-store';
import type { Tx } from '../../db/data-source';
import { NotFoundError } from '../../lib/errors';
import { parseOrThrow } from '../../lib/zod-issues';
import { withServices } from '../cli-services';
import { CliUsageError, EXIT, type CliCommand } from '../cli-command';

/** Name of a key made by `keys:create` without `--name`. */
const DEFAULT_CLI_KEY_NAME = 'Created with the CLI';

async function requireAccount(tx: Tx, accountId: string): Promise<void> {
  const found = isUuid(accountId) && (await lockAccount(tx, accountId, 'share'));
  if (!found) throw new NotFoundError('Account');
}

function accountOption(values: Record<string, string | boolean | undefined>): string {
  if (typeof values.account !== 'string') throw new CliUsageError('--account is required');
  return values.account;
}

export const keysCreateCommand: CliCommand = {
  name: 'keys:create',
  summary: 'Create another API key for an account',
  usage: 'keys:create --account <accountId> [--name <name>] [--admin]',
  help: [
    '--account <id>  the account (required)',
    `--name <name>   what the key is for (default "${DEFAULT_CLI_KEY_NAME}")`,
    '--admin         the key may create accounts too (default: an account key)',
    'Prints the new API key; it is shown this once.',
  ],
  options: { account: { type: 'string' }, name: { type: 'string' }, admin: { type: 'boolean' } },
  async run({ values, out }) {
    const accountId = accountOption(values);
    const { name } = parseOrThrow(createApiKeySchema, {
      name: typeof values.name === 'string' ? values.name : DEFAULT_CLI_KEY_NAME,
    });
    const scope = values.admin === true ? 'admin' : 'account';
    const created = await withServices({ redis: false }, (c) =>
      c.db.transaction(async (tx) => {
        await requireAccount(tx, accountId);
        return createApiKey(tx, { accountId, name, scope });
      }),
    );
    out.print(`id: ${created.id}`);
    out.print(`account: ${accountId}`);
    out.print(`name: ${created.name}`);
    out.print(`scope: ${created.scope}`);
    out.print(`prefix: ${created.prefix ?? ''}`);
    out.print(`apiKey: ${created.key}`);
    out.warn('The API key is shown this once: keep it.');
    return EXIT.ok;
  },
};

export const keysListCommand: CliCommand = {
  name: 'keys:list',
  summary: 'List the API keys of an account (never the keys themselves)',
  usage: 'keys:list --account <accountId>',
  help: [
    '--account <id>  the account (required)',
    'One line per key: id, prefix, scope, created, last used (at most once a minute), name, and when revoked.',
  ],
  options: { account: { type: 'string' } },
  async run({ values, out }) {
    const accountId = accountOption(values);
    const keys = await withServices({ redis: false }, (c) =>
      c.db.transaction(async (tx) => {
        await requireAccount(tx, accountId);
        return listApiKeys(tx, accountId);
      }),
    );
    for (const key of keys) {
      const revoked = key.revokedAt ? `  revoked ${key.revokedAt}` : '';
      out.print(
        `${key.id}  ${key.prefix ?? '-'}  ${key.scope}  created ${key.createdAt}  last used ${key.lastUsedAt ?? 'never'}  ${key.name}${revoked}`,
      );
    }
    return EXIT.ok;
  },
};

export const keysRevokeCommand: CliCommand = {
  name: 'keys:revoke',
  summary: 'Revoke an API key: it is refused from now on, and its console sessions end',
  usage: 'keys:revoke <keyId>',
  help: ['<keyId>  the key (see keys:list)', "An account's last active key cannot be revoked (exit 1)."],
  options: {},
  positionals: { min: 1, max: 1 },
  async run({ positionals, out }) {
    const keyId = positionals[0]!;
    const revoked = await withServices({ redis: false }, (c) =>
      c.db.transaction(async (tx) => {
        const key = isUuid(keyId) ? await findKeyById(tx, keyId) : null;
        if (!key) throw new NotFoundError('API key');
        return revokeApiKey(tx, { accountId: key.account_id, keyId });
      }),
    );
    out.print(`id: ${revoked.id}`);
    out.print(`revokedAt: ${revoked.revokedAt ?? ''}`);
    return EXIT.ok;
  },
};

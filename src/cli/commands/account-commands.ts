import { createAccount, insertApiKey, newApiKey } from '../../accounts/account-service';
import { isUuid } from '../../contacts/contact-store';
import { NotFoundError } from '../../lib/errors';
import { withServices } from '../cli-services';
import { CliUsageError, EXIT, type CliCommand } from '../cli-command';

export const accountsCreateCommand: CliCommand = {
  name: 'accounts:create',
  summary: 'Create an account and its first API key',
  usage: 'accounts:create --name <name> [--timezone <zone>] [--admin]',
  help: [
    '--name <name>      the account name (required)',
    '--timezone <zone>  IANA time zone, e.g. Europe/Paris (default UTC)',
    '--admin            the key may create accounts too (default: an account key)',
    'Prints the account id and its API key; the key is shown this once.',
  ],
  options: { name: { type: 'string' }, timezone: { type: 'string' }, admin: { type: 'boolean' } },
  async run({ values, out }) {
    if (typeof values.name !== 'string') throw new CliUsageError('--name is required');
    const name = values.name;
    const timezone = typeof values.timezone === 'string' ? values.timezone : undefined;
    const scope = values.admin === true ? 'admin' : 'account';
    const { account, apiKey } = await withServices({ redis: false }, (c) =>
      c.db.transaction((tx) => createAccount(tx, { name, timezone, scope })),
    );
    out.print(`id: ${account.id}`);
    out.print(`name: ${account.name}`);
    out.print(`timezone: ${account.timezone}`);
    out.print(`scope: ${scope}`);
    out.print(`apiKey: ${apiKey}`);
    out.warn('The API key is shown this once: keep it.');
    return EXIT.ok;
  },
};

export const keysCreateCommand: CliCommand = {
  name: 'keys:create',
  summary: 'Create another API key for an account',
  usage: 'keys:create --account <accountId> [--admin]',
  help: [
    '--account <id>  the account (required)',
    '--admin         the key may create accounts too (default: an account key)',
    'Prints the new API key; it is shown this once.',
  ],
  options: { account: { type: 'string' }, admin: { type: 'boolean' } },
  async run({ values, out }) {
    if (typeof values.account !== 'string') throw new CliUsageError('--account is required');
    const accountId = values.account;
    const scope = values.admin === true ? 'admin' : 'account';
    const apiKey = await withServices({ redis: false }, (c) =>
      c.db.transaction(async (tx) => {
        const found: unknown[] = isUuid(accountId) ? await tx.query('SELECT 1 FROM accounts WHERE id = $1 FOR SHARE', [accountId]) : [];
        if (found.length === 0) throw new NotFoundError('Account');
        const key = newApiKey();
        await insertApiKey(tx, accountId, key, scope);
        return key;
      }),
    );
    out.print(`account: ${accountId}`);
    out.print(`scope: ${scope}`);
    out.print(`apiKey: ${apiKey}`);
    out.warn('The API key is shown this once: keep it.');
    return EXIT.ok;
  },
};

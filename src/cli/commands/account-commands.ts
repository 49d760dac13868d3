import { createAccount } from '../../accounts/account-service';
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

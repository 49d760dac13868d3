import { accountSchema, updateAccountSchema } from '../../accounts/account-schema';
import type { ApiOperation } from './api-operation';

/** The caller's own account: its name, zone and how its emails are signed. */
export const accountOperations: ApiOperation[] = [
  {
    id: 'getAccount',
    method: 'get',
    path: '/account',
    tag: 'Accounts',
    summary: "The caller's account and its settings",
    response: { status: 200, description: 'The account', schema: accountSchema },
  },
  {
    id: 'updateAccount',
    method: 'patch',
    path: '/account',
    tag: 'Accounts',
    summary: "Change the caller's account settings (any key of the account)",
    description:
      "Absent fields keep their value. Emails are sent from MAIL_FROM's address (so SPF and DKIM keep passing) " +
      "with `senderName` as its display name (null: the account's name) and `replyTo` as their Reply-To " +
      "(null: none). `consoleZone` shows the console's times in the account's `timezone` or in each viewer's " +
      'browser zone. The first change also stops the console asking an admin for these settings at sign-in.',
    body: updateAccountSchema,
    response: { status: 200, description: 'The account as changed', schema: accountSchema },
  },
];

import type { Account } from '../accounts/account-schema';
import { getAccount } from '../accounts/account-service';
import type { Tx } from '../db/data-source';

/** Who an account's emails say they are from; the address itself is always the operator's MAIL_FROM. */
export interface Sender {
  /** The From display name: the account's sender name, else its name. */
  fromName: string;
  /** The Reply-To address; null: none, replies go to MAIL_FROM. */
  replyTo: string | null;
}

/**
 * The sender of an account's emails. The account's name was never checked for header use (the sender
 * name is): control characters and line breaks become spaces, so no name can start a header.
 */
export function senderOf(account: Pick<Account, 'name' | 'senderName' | 'replyTo'>): Sender {
  const name = (account.senderName ?? account.name).replace(/[\p{Cc}\p{Zl}\p{Zp}]+/gu, ' ').trim();
  return { fromName: name, replyTo: account.replyTo };
}

/** The sender of `accountId`'s emails, read when an email is sent (so a changed setting applies at once). */
export async function loadSender(tx: Tx, accountId: string): Promise<Sender> {
  return senderOf(await getAccount(tx, accountId));
}

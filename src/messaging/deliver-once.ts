import type { Db } from '../db/data-source';
import type { Logger } from '../lib/logger';
import { NonRetryableError } from '../lib/step-errors';
import type { ProviderAcceptance } from './mailer';
import { FINAL_STATUSES, insertMessage, settleMessage, type MessageContent, type MessageKey, type MessageRow } from './message-store';

export interface DeliveryOptions {
  db: Db;
  key: MessageKey;
  /** The rendered message; ignored when a `sending` row exists (a repeat sends what was stored). */
  content: MessageContent;
  /** Runs before the provider call, e.g. taking a rate-limit slot (may throw RetryAfterError). */
  beforeSend?: () => Promise<void>;
  send: (content: MessageContent) => Promise<ProviderAcceptance>;
  /** The step will not be retried after this attempt: a failure is final. */
  isLastAttempt: boolean;
  log: Logger;
}

const isFinal = (row: MessageRow): boolean => FINAL_STATUSES.includes(row.status);

const contentOf = (row: MessageRow): MessageContent => ({ to: row.to, subject: row.subject, text: row.text, html: row.html, body: row.body });

/**
 * Sends the message of (run, step) at most once per provider acceptance:
 * 1. insert the row as `sending` (ON CONFLICT DO NOTHING); a row already final is returned as it is,
 *    without calling the provider;
 * 2. call the provider with the step's deterministic message id;
 * 3. record `sent` / `not_delivered` with the provider's id at once, before the step finishes.
 * A crash between 2 and 3 leaves `sending`: the redelivered step sends again with the same id and the
 * same content (see docs/architecture.md, "Messages: exactly once up to the provider").
 * A permanent failure, or a transient one on the last attempt, records `failed` and rethrows.
 */
export async function deliverOnce(options: DeliveryOptions): Promise<MessageRow> {
  const { db, key, log } = options;
  await options.beforeSend?.();
  const { row } = await insertMessage(db.manager, { key, content: options.content, status: 'sending' });
  if (isFinal(row)) return row;

  let accepted: ProviderAcceptance;
  try {
    accepted = await options.send(contentOf(row));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const final = error instanceof NonRetryableError || options.isLastAttempt;
    await settleMessage(db.manager, { id: row.id, status: final ? 'failed' : 'sending', error: message });
    log.warn({ messageId: row.id, channel: key.channel, final, err: message }, 'message not accepted by the provider');
    throw error;
  }
  const settled = await settleMessage(db.manager, {
    id: row.id,
    status: accepted.delivered ? 'sent' : 'not_delivered',
    error: null,
    providerMessageId: accepted.providerMessageId ?? null,
  });
  log.info({ messageId: row.id, channel: key.channel, status: settled.status, providerMessageId: settled.provider_message_id }, 'message recorded');
  return settled;
}

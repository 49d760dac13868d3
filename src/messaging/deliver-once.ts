import type { Db } from '../db/data-source';
import type { Logger } from '../lib/logger';
import { NonRetryableError, RetryAfterError } from '../lib/step-errors';
import type { ProviderAcceptance } from './mailer';
import {
  FINAL_STATUSES,
  findMessage,
  messageOwnerOf,
  reopenFailedMessage,
  storeMissingContent,
  takeOverSendingMessage,
  type MessageContent,
  type MessageKey,
  type MessageRow,
} from './message-store';
import { messageWritesOf, type MessageWrites } from './message-write-batch';

/** How long an attempt that lost the race to reopen a failed message waits before it looks again. */
export const REOPENED_ELSEWHERE_WAIT_MS = 5000;

/**
 * A `sending` message untouched this long is taken to have lost its sender (a crash) and may be sent
 * again by another caller (`exclusive` deliveries only). Far above one SMTP exchange (connection and
 * greeting 10 s each, socket 60 s), so a slow send in progress is never doubled.
 */
export const IN_FLIGHT_STALE_MS = 120_000;

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
  /**
   * Callers for the same key may run at the same time (no claim serialises them, unlike a run's
   * steps): only the caller that inserted the row, or that takes over one whose last call failed or
   * stalled, calls the provider; the others come back later (RetryAfterError). Default false.
   */
  exclusive?: boolean;
  /** How the row is inserted and settled; default a statement each (messageWritesOf). */
  writes?: MessageWrites;
  log: Logger;
}

const isFinal = (row: MessageRow): boolean => FINAL_STATUSES.includes(row.status);

const contentOf = (row: MessageRow): MessageContent => ({
  to: row.to,
  subject: row.subject,
  text: row.text,
  html: row.html,
  body: row.body,
});

/**
 * What a message row holds to send again, or null when it never got as far as a provider call (a
 * bad address, a template that failed to render): an email always stores its text part, an SMS its
 * body.
 */
export function storedContent(row: MessageRow): (MessageContent & { to: string }) | null {
  if (row.to === null || (row.text === null && row.body === null)) return null;
  return { ...contentOf(row), to: row.to };
}

/**
 * The message row of (run, step) as an attempt of the step must see it. A `failed` row seen by an
 * attempt after the first is the failure of an earlier attempt (each execution of a step is a claim
 * of its own): a manual retry, or a redelivery after a crash. It is reopened (failed → sending) and
 * delivered again with the same Message-ID / messageId: a `failed` message is one the provider did
 * not accept (or never saw), so delivering it again cannot repeat a delivered one. Reopening is
 * conditional: of concurrent attempts one sends; the others come back later (RetryAfterError) and
 * answer from the row then.
 */
export async function messageForAttempt(
  db: Db,
  options: { runId: string; stepId: string; attempt: number },
): Promise<MessageRow | null> {
  const owner = { runId: options.runId, stepId: options.stepId };
  const row = await findMessage(db.manager, owner);
  if (!row || row.status !== 'failed' || options.attempt <= 1) return row;
  const reopened = await reopenFailedMessage(db.manager, row.id);
  if (reopened) return reopened;
  const now = await findMessage(db.manager, owner);
  if (now?.status === 'sending') {
    throw new RetryAfterError(
      new Date(Date.now() + REOPENED_ELSEWHERE_WAIT_MS),
      'the message is being sent by another attempt of this step',
    );
  }
  return now;
}

/**
 * A retried message that failed before any provider call has no content yet: it gets this one (when
 * a concurrent attempt stored it first, the row is read again).
 */
async function withContent(db: Db, row: MessageRow, content: MessageContent): Promise<MessageRow> {
  if (isFinal(row) || storedContent(row)) return row;
  const filled =
    (await storeMissingContent(db.manager, { id: row.id, content })) ??
    (await findMessage(db.manager, messageOwnerOf(row)));
  if (!filled) throw new Error('message row vanished');
  return filled;
}

/**
 * The row a caller may send, for an exclusive delivery: its own new row, or one it took over; a
 * message in flight elsewhere makes it come back later.
 */
async function claimForSending(db: Db, row: MessageRow, created: boolean): Promise<MessageRow> {
  if (created) return row;
  const taken = await takeOverSendingMessage(db.manager, { id: row.id, staleMs: IN_FLIGHT_STALE_MS });
  if (taken) return taken;
  throw new RetryAfterError(
    new Date(Date.now() + REOPENED_ELSEWHERE_WAIT_MS),
    'the message is being sent by another delivery of it',
  );
}

/**
 * Sends the message of its key (run and step, or appointment and kind) at most once per provider acceptance:
 * 1. insert the row as `sending` (ON CONFLICT DO NOTHING); a row already final is returned as it is,
 *    without calling the provider (a `failed` one is reopened first by messageForAttempt on a retry);
 * 2. call the provider with the step's deterministic message id;
 * 3. record `sent` / `not_delivered` with the provider's id at once, before the step finishes.
 * A crash between 2 and 3 leaves `sending`: the redelivered step sends again with the same id and the
 * same content (see docs/architecture.md, "Messages: exactly once up to the provider").
 * A permanent failure, or a transient one on the last attempt, records `failed` and rethrows.
 */
export async function deliverOnce(options: DeliveryOptions): Promise<MessageRow> {
  const { db, key, log } = options;
  const writes = options.writes ?? messageWritesOf(db);
  await options.beforeSend?.();
  const inserted = await writes.insert({ key, content: options.content, status: 'sending' });
  let row = await withContent(db, inserted.row, options.content);
  if (isFinal(row)) return row;
  if (options.exclusive) row = await claimForSending(db, row, inserted.created);

  let accepted: ProviderAcceptance;
  try {
    accepted = await options.send(contentOf(row));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const final = error instanceof NonRetryableError || options.isLastAttempt;
    await writes.settle({ id: row.id, status: final ? 'failed' : 'sending', error: message });
    log.warn({ messageId: row.id, channel: key.channel, final, err: message }, 'message not accepted by the provider');
    throw error;
  }
  const settled = await writes.settle({
    id: row.id,
    status: accepted.delivered ? 'sent' : 'not_delivered',
    // A message recorded but not delivered says why (no SMTP_URL, the `log` SMS provider).
    error: accepted.delivered ? null : (accepted.notDeliveredReason ?? null),
    providerMessageId: accepted.providerMessageId ?? null,
  });
  log.debug(
    { messageId: row.id, channel: key.channel, status: settled.status, providerMessageId: settled.provider_message_id },
    'message recorded',
  );
  return settled;
}

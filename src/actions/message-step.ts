import { getContact } from '../contacts/contact-service';
import type { Contact } from '../contacts/contact-schema';
import { contextZone } from '../lib/time';
import { NonRetryableError, RetryAfterError } from '../lib/step-errors';
import { deliverOnce, messageForAttempt, storedContent } from '../messaging/deliver-once';
import type { ProviderAcceptance } from '../messaging/mailer';
import { messageKeyOf } from '../messaging/message-id';
import {
  FINAL_STATUSES,
  insertMessage,
  settleMessage,
  type Channel,
  type MessageContent,
  type MessageKey,
  type MessageRow,
} from '../messaging/message-store';
import { nextWindowOpening } from '../messaging/sending-window';
import type { ActionOutcome } from '../engine/action-contract';
import type { ActionContext } from './action';
import { failFast } from './fail-fast';

/** Why a send step sent nothing: it is the step's skip reason and the message row's `error`. */
export type SkipReason = 'no_email' | 'no_phone' | 'dnd' | 'unsubscribed';

/** What differs between email and SMS; runMessageStep does the rest. */
export interface MessagePlan {
  channel: Channel;
  /** Why this contact gets nothing on this channel (dnd, unsubscribed), or null. */
  refusal(contact: Contact): SkipReason | null;
  /** The rendered `to`, else the contact's address; empty → skipped with `missing`. */
  recipient(contact: Contact): string;
  missing: SkipReason;
  /** Throws NonRetryableError when `to` is not an address of this channel. */
  checkRecipient(to: string): void;
  render(to: string): MessageContent;
  /** False when the provider only records (no SMTP_URL, SMS_PROVIDER=log): no rate limit. */
  delivers: boolean;
  send(content: MessageContent & { to: string }, messageKey: string): Promise<ProviderAcceptance>;
}

/** The step's outcome for a recorded message; a failed one fails the step again, with its error. */
function outcomeOf(row: MessageRow): ActionOutcome {
  const output = {
    messageId: row.id,
    status: row.status,
    to: row.to,
    ...(row.provider_message_id === null ? {} : { providerMessageId: row.provider_message_id }),
  };
  if (row.status === 'failed') throw new NonRetryableError(row.error ?? 'message failed');
  if (row.status === 'skipped') return { kind: 'skipped', reason: row.error ?? 'skipped', output };
  return { kind: 'completed', output };
}

/** Records a message that will not be sent (skipped or failed before any provider call) and ends the step. */
async function recordWithoutSending(
  ctx: ActionContext<unknown>,
  options: { key: MessageKey; content: MessageContent; status: 'skipped' | 'failed'; error: string },
): Promise<ActionOutcome> {
  const { row } = await insertMessage(ctx.deps.db.manager, options);
  const final = row.status === 'sending' ? await settleMessage(ctx.deps.db.manager, { id: row.id, ...options }) : row;
  ctx.log.debug(
    { messageId: final.id, channel: options.key.channel, status: final.status, reason: options.error },
    'message not sent',
  );
  return outcomeOf(final);
}

/**
 * One send step, exactly once per (run, step): a message already recorded as final is answered from
 * its row; a contact who must not get it is `skipped` (with a row saying why); outside the workflow's
 * sending window the step waits (RetryAfterError, durably in the queue) until it opens; then the
 * message is rendered and delivered by deliverOnce.
 */
export async function runMessageStep(ctx: ActionContext<unknown>, plan: MessagePlan): Promise<ActionOutcome> {
  const { deps, runId, step } = ctx;
  const key: MessageKey = {
    accountId: ctx.accountId,
    contactId: ctx.contactId,
    runId,
    stepId: step.id,
    channel: plan.channel,
  };
  // A retry of the step reopens a failed message, to deliver it again (see messageForAttempt).
  const existing = await messageForAttempt(deps.db, { runId, stepId: step.id, attempt: ctx.attempt });
  if (existing && FINAL_STATUSES.includes(existing.status)) return outcomeOf(existing);

  let content: MessageContent & { to: string };
  const stored = existing ? storedContent(existing) : null;
  if (stored) {
    // A repeat after a crash, a transient failure or a retry: send exactly what was stored, to the same address.
    content = stored;
  } else {
    const contact = await failFast(() => getContact(deps.db.manager, ctx.accountId, ctx.contactId));
    const refusal = plan.refusal(contact);
    if (refusal) return recordWithoutSending(ctx, { key, content: { to: null }, status: 'skipped', error: refusal });
    let to: string;
    try {
      to = plan.recipient(contact).trim();
      if (to === '')
        return recordWithoutSending(ctx, { key, content: { to: null }, status: 'skipped', error: plan.missing });
      plan.checkRecipient(to);
    } catch (error) {
      if (!(error instanceof NonRetryableError)) throw error;
      return recordWithoutSending(ctx, { key, content: { to: null }, status: 'failed', error: error.message });
    }
    if (ctx.sendingWindow) {
      const opens = nextWindowOpening(ctx.sendingWindow, new Date(), contextZone(ctx.context));
      if (opens) {
        ctx.log.info({ channel: plan.channel, opensAt: opens.toISOString() }, 'outside the sending window: waiting');
        throw new RetryAfterError(opens, `outside the sending window until ${opens.toISOString()}`);
      }
    }
    try {
      content = { ...plan.render(to), to };
    } catch (error) {
      if (!(error instanceof NonRetryableError)) throw error;
      return recordWithoutSending(ctx, { key, content: { to }, status: 'failed', error: error.message });
    }
  }

  const messageKey = messageKeyOf({ runId, stepId: step.id, publicUrl: deps.config.PUBLIC_URL });
  const row = await deliverOnce({
    db: deps.db,
    // Shared with the process's other sends of the moment: a statement for many rows, each still committed before its send.
    writes: deps.messageWrites,
    key,
    content,
    beforeSend: plan.delivers ? () => deps.messaging.rateLimiter.acquire(plan.channel) : undefined,
    send: (stored) => plan.send({ ...stored, to: stored.to ?? content.to }, messageKey),
    isLastAttempt: ctx.isLastAttempt,
    log: ctx.log,
  });
  return outcomeOf(row);
}

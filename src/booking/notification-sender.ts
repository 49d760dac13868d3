import type { Config } from '../config/env';
import type { Contact } from '../contacts/contact-schema';
import type { Db } from '../db/data-source';
import type { Logger } from '../lib/logger';
import { NonRetryableError } from '../lib/step-errors';
import { deliverOnce, storedContent } from '../messaging/deliver-once';
import { appointmentMessageKeyOf, emailMessageId } from '../messaging/message-id';
import {
  FINAL_STATUSES,
  findMessage,
  type MessageContent,
  type MessageKey,
  type MessageRow,
} from '../messaging/message-store';
import type { Messaging } from '../messaging/messaging';
import { messageWritesOf, type MessageWrites } from '../messaging/message-write-batch';
import { renderEmail } from '../messaging/render-message';
import { loadSender, type Sender } from '../messaging/sender';
import type { NotificationAudience } from './notification-context';
import type { PlannedNotification } from './notification-plan';

/**
 * Why a notification was recorded `skipped` (its row's `error`): the contact's `dnd`, their email
 * unsubscribe, no email address, or `superseded`: the appointment was cancelled or moved again
 * before this event's email went out, so what it would say is no longer true.
 */
export type NotificationSkipReason = 'dnd' | 'unsubscribed' | 'no_email' | 'superseded';

export interface NotifierDeps {
  db: Db;
  config: Config;
  messaging: Pick<Messaging, 'mailer' | 'rateLimiter' | 'templates'>;
  logger: Logger;
  /** How message rows are written; default a statement each (a worker passes its batches). */
  messageWrites?: MessageWrites;
}

/** One notification of one event, with everything it needs to be recorded and sent. */
export interface NotificationSend {
  notification: PlannedNotification;
  key: MessageKey & { appointmentId: string; kind: string };
  contact: Contact;
  /** The owner's address for an owner notice. */
  ownerEmail: string | null;
  /** The event no longer describes the appointment (see NotificationSkipReason). */
  superseded: boolean;
  /** The template context, without `unsubscribeUrl`. */
  context: Record<string, unknown>;
  /** The contact's unsubscribe link; null for the owner, who is no contact and cannot unsubscribe them. */
  unsubscribeUrl: string | null;
  isLastAttempt: boolean;
  log: Logger;
  /** Who the account's emails say they are from, when the caller read it already (else read when sending). */
  sender?: Sender;
  /**
   * The message row of `key` when the caller read it already (null: there was none); else it is read
   * here. A row read a moment earlier is as good as one read now: a final one stays final, and an
   * insert or a take-over decides between concurrent senders (deliverOnce).
   */
  existing?: MessageRow | null;
}

/** The contact's own refusals; the owner's notice is about the contact, not to them, so none apply to it. */
function refusalOf(audience: NotificationAudience, contact: Contact): NotificationSkipReason | null {
  if (audience === 'owner') return null;
  if (contact.dnd) return 'dnd';
  if (contact.unsubscribedFromEmail) return 'unsubscribed';
  if (!contact.email) return 'no_email';
  return null;
}

/**
 * From the account, like its workflows' emails (its sender name, MAIL_FROM's address), read at each
 * send. The contact's emails take the account's Reply-To; the owner's notice is answered to the
 * contact who booked, so that "Reply" reaches them.
 */
async function senderOf(
  deps: NotifierDeps,
  send: NotificationSend,
): Promise<{ fromName: string; replyTo: string | null }> {
  const sender = send.sender ?? (await loadSender(deps.db.manager, send.key.accountId));
  if (send.notification.audience === 'contact') return sender;
  return { fromName: sender.fromName, replyTo: send.contact.email ?? sender.replyTo };
}

/** A row that will not be sent (skipped, or failed before any provider call); an existing row stays as it is. */
async function recordWithoutSending(
  deps: NotifierDeps,
  send: NotificationSend,
  options: { to: string | null; status: 'skipped' | 'failed'; error: string },
): Promise<MessageRow> {
  const { row } = await (deps.messageWrites ?? messageWritesOf(deps.db)).insert({
    key: send.key,
    content: { to: options.to },
    status: options.status,
    error: options.error,
  });
  send.log.info(
    { messageId: row.id, kind: send.key.kind, status: row.status, reason: options.error },
    'notification not sent',
  );
  return row;
}

/**
 * Records and sends one notification exactly once up to the provider, like a send step
 * (deliverOnce), keyed by (appointment, kind) instead of (run, step): a final row answers without a
 * provider call; a `sending` one (a crash or a transient failure) is sent again as stored, with the
 * same Message-ID; otherwise it is skipped with a reason or rendered and delivered. Delivery is
 * exclusive: notify jobs are not fenced by a claim, so of concurrent ones only one calls the server.
 */
export async function sendNotification(deps: NotifierDeps, send: NotificationSend): Promise<MessageRow> {
  const { notification, key } = send;
  const existing = send.existing !== undefined ? send.existing : await findMessage(deps.db.manager, key);
  if (existing && FINAL_STATUSES.includes(existing.status)) return existing;

  let content: MessageContent & { to: string };
  const stored = existing ? storedContent(existing) : null;
  if (stored) {
    content = stored;
  } else {
    const skip: NotificationSkipReason | null = send.superseded
      ? 'superseded'
      : refusalOf(notification.audience, send.contact);
    if (skip) return recordWithoutSending(deps, send, { to: null, status: 'skipped', error: skip });
    const to = notification.audience === 'contact' ? send.contact.email! : send.ownerEmail!;
    try {
      const context = { ...send.context, unsubscribeUrl: send.unsubscribeUrl ?? '' };
      content = { to, ...renderEmail(deps.messaging.templates(), { template: notification.template }, context) };
    } catch (error) {
      if (!(error instanceof NonRetryableError)) throw error;
      return recordWithoutSending(deps, send, { to, status: 'failed', error: error.message });
    }
  }

  const { mailer, rateLimiter } = deps.messaging;
  const messageKey = appointmentMessageKeyOf({ ...key, publicUrl: deps.config.PUBLIC_URL });
  return deliverOnce({
    db: deps.db,
    key,
    content,
    beforeSend: mailer.configured ? () => rateLimiter.acquire('email') : undefined,
    send: async (message) =>
      mailer.send({
        ...(await senderOf(deps, send)),
        to: message.to ?? content.to,
        subject: message.subject ?? '',
        html: message.html ?? null,
        text: message.text ?? '',
        messageId: emailMessageId(messageKey),
        unsubscribeUrl: send.unsubscribeUrl,
      }),
    isLastAttempt: send.isLastAttempt,
    exclusive: true,
    writes: deps.messageWrites,
    log: send.log,
  });
}

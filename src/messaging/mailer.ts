import nodemailer from 'nodemailer';
import addressparser from 'nodemailer/lib/addressparser';
import type { Logger } from '../lib/logger';
import { NonRetryableError, RetryableError } from '../lib/step-errors';

export interface OutgoingEmail {
  to: string;
  subject: string;
  html: string | null;
  text: string;
  /** `<run.step@host>`: the same on every retry, so a receiver can recognise a repeat. */
  messageId: string;
  /** The contact's unsubscribe link, sent as List-Unsubscribe; null for an email to no contact (an owner notice). */
  unsubscribeUrl: string | null;
  /** The From display name (the account's sender); the address stays MAIL_FROM's. Default: MAIL_FROM as set. */
  fromName?: string;
  /** The Reply-To address; default none. */
  replyTo?: string | null;
}

/** What a provider said: `delivered: false` when nothing was sent (no SMTP_URL, the `log` SMS provider). */
export interface ProviderAcceptance {
  delivered: boolean;
  providerMessageId?: string;
  /** Why nothing was delivered, in plain words (recorded as the message's error). */
  notDeliveredReason?: string;
}

/** What a message not delivered for lack of an SMTP server records as its reason. */
export const NO_SMTP_REASON = 'Not sent: no SMTP server is configured (set SMTP_URL)';

export interface Mailer {
  /** False when SMTP_URL is unset: emails are rendered and recorded as not_delivered. */
  readonly configured: boolean;
  send(email: OutgoingEmail): Promise<ProviderAcceptance>;
  /** Closes the SMTP connection pool. */
  close(): void;
}

export interface MailerOptions {
  /** SMTP_URL; undefined: nothing is sent. */
  smtpUrl?: string;
  /** MAIL_FROM. */
  from: string;
  logger: Logger;
}

interface SmtpErrorShape {
  responseCode?: unknown;
  response?: unknown;
  code?: unknown;
  message?: unknown;
}

/**
 * An SMTP failure as a step error: a 5xx reply is permanent (the server's reply is the step's error);
 * a 4xx reply, a lost connection or a timeout is transient and retried by the step's policy.
 */
export function smtpFailure(error: unknown): NonRetryableError | RetryableError {
  const e = (typeof error === 'object' && error !== null ? error : {}) as SmtpErrorShape;
  const reply = typeof e.response === 'string' ? e.response.trim() : undefined;
  const message = typeof e.message === 'string' ? e.message : String(error);
  if (typeof e.responseCode === 'number' && e.responseCode >= 500) return new NonRetryableError(reply ?? message);
  if (typeof e.responseCode === 'number' && e.responseCode >= 400) return new RetryableError(reply ?? message);
  // Refused before anything was said to a server (a malformed address, a bad configuration).
  if (e.code === 'EENVELOPE' || e.code === 'ECONFIG') return new NonRetryableError(message);
  return new RetryableError(`SMTP ${typeof e.code === 'string' ? e.code : 'error'}: ${message}`);
}

/** Emails over nodemailer's pooled SMTP transport, sender MAIL_FROM. */
export function createMailer(options: MailerOptions): Mailer {
  const log = options.logger.child({ component: 'mailer' });
  if (!options.smtpUrl) {
    return {
      configured: false,
      async send(email) {
        log.info({ messageId: email.messageId }, 'email not delivered: SMTP_URL is unset (recorded as not_delivered)');
        return { delivered: false, notDeliveredReason: NO_SMTP_REASON };
      },
      close: () => undefined,
    };
  }
  const transport = nodemailer.createTransport(
    {
      url: options.smtpUrl,
      pool: true,
      maxConnections: 5,
      // One requeue covers a pooled connection the server closed while idle; beyond that the step retries.
      maxRequeues: 1,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 60_000,
    },
    { from: options.from },
  );
  // Only the display name is the account's: the address stays the operator's, so SPF and DKIM pass.
  const fromAddress = addressparser(options.from, { flatten: true })[0]?.address || options.from;
  return {
    configured: true,
    async send(email) {
      try {
        const info = await transport.sendMail({
          to: email.to,
          ...(email.fromName ? { from: { name: email.fromName, address: fromAddress } } : {}),
          ...(email.replyTo ? { replyTo: email.replyTo } : {}),
          subject: email.subject,
          text: email.text,
          ...(email.html === null ? {} : { html: email.html }),
          messageId: email.messageId,
          headers:
            email.unsubscribeUrl === null
              ? {}
              : {
                  'List-Unsubscribe': `<${email.unsubscribeUrl}>`,
                  // RFC 8058: mail clients may unsubscribe with one POST of `List-Unsubscribe=One-Click`.
                  'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
                },
        });
        return { delivered: true, providerMessageId: info.messageId || email.messageId };
      } catch (error) {
        throw smtpFailure(error);
      }
    },
    close: () => transport.close(),
  };
}

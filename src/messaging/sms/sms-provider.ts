import type { ProviderAcceptance } from '../mailer';

export interface OutgoingSms {
  /** E.164. */
  to: string;
  body: string;
  /** `run.step@host`: the same on every retry, so the provider (or our webhook) can spot a repeat. */
  messageId: string;
}

/**
 * One SMS provider. `send` resolves when the provider accepted the message, throws RetryableError
 * for a transient failure (5xx, 429, network) and NonRetryableError for a permanent one (other 4xx).
 */
export interface SmsProvider {
  readonly name: 'log' | 'webhook' | 'twilio';
  /** False for `log`: messages are recorded as not_delivered and no rate limit applies. */
  readonly delivers: boolean;
  send(sms: OutgoingSms): Promise<ProviderAcceptance>;
}

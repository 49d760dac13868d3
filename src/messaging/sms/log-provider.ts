import type { Logger } from '../../lib/logger';
import type { SmsProvider } from './sms-provider';

/** What an SMS not delivered by the `log` provider records as its reason. */
export const NO_SMS_PROVIDER_REASON = 'Not sent: no SMS provider is configured (set SMS_PROVIDER to webhook or twilio)';

/** SMS_PROVIDER=log (the default): records the message as not_delivered and says so in the log, without its body. */
export function createLogSmsProvider(logger: Logger): SmsProvider {
  return {
    name: 'log',
    delivers: false,
    async send(sms) {
      logger.info({ messageId: sms.messageId }, 'sms not delivered: SMS_PROVIDER is log (recorded as not_delivered)');
      return { delivered: false, notDeliveredReason: NO_SMS_PROVIDER_REASON };
    },
  };
}

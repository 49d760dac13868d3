import type { Config } from '../../config/env';
import type { Logger } from '../../lib/logger';
import { createLogSmsProvider } from './log-provider';
import type { SmsProvider } from './sms-provider';
import { createTwilioSmsProvider } from './twilio-provider';
import { createWebhookSmsProvider } from './webhook-provider';

/** The provider SMS_PROVIDER names; the env schema has already made sure its settings are there. */
export function createSmsProvider(config: Config, logger: Logger): SmsProvider {
  switch (config.SMS_PROVIDER) {
    case 'webhook':
      return createWebhookSmsProvider({ url: config.SMS_WEBHOOK_URL!, from: config.SMS_FROM });
    case 'twilio':
      return createTwilioSmsProvider({
        accountSid: config.TWILIO_ACCOUNT_SID!,
        authToken: config.TWILIO_AUTH_TOKEN!,
        from: config.TWILIO_FROM!,
        apiUrl: config.TWILIO_API_URL,
      });
    case 'log':
      return createLogSmsProvider(logger.child({ component: 'sms' }));
  }
}

import type { Redis } from 'ioredis';
import type { Config } from '../config/env';
import type { Logger } from '../lib/logger';
import { createMailer, type Mailer } from './mailer';
import { createRateLimiter, type RateLimiter } from './rate-limiter';
import { createSmsProvider } from './sms/create-sms-provider';
import type { SmsProvider } from './sms/sms-provider';
import { currentTemplates, type TemplateStore } from './template-store';

/** Everything the send actions reach beyond the database; built once per worker process. */
export interface Messaging {
  mailer: Mailer;
  sms: SmsProvider;
  rateLimiter: RateLimiter;
  /** The templates loaded at boot (loadTemplates). */
  templates(): TemplateStore;
  /** Closes the SMTP pool; in-flight sends have finished by then (workers close first). */
  close(): Promise<void>;
}

export function createMessaging(options: { config: Config; logger: Logger; redis: Redis }): Messaging {
  const { config, logger } = options;
  const mailer = createMailer({ smtpUrl: config.SMTP_URL, from: config.MAIL_FROM, logger });
  return {
    mailer,
    sms: createSmsProvider(config, logger),
    rateLimiter: createRateLimiter({
      redis: options.redis,
      prefix: config.QUEUE_PREFIX,
      rates: { email: config.EMAIL_RATE_PER_SEC, sms: config.SMS_RATE_PER_SEC },
    }),
    templates: currentTemplates,
    close: async () => mailer.close(),
  };
}

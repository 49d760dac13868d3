import { phoneSchema } from '../contacts/contact-schema';
import { sendSmsStep } from '../definition/steps/send-sms';
import { NonRetryableError } from '../lib/step-errors';
import { renderSms } from '../messaging/render-message';
import { defineAction } from './action';
import { runMessageStep } from './message-step';

/**
 * Sends an SMS to the contact's phone (or `to`) through SMS_PROVIDER, exactly once per (run, step)
 * up to the provider's acceptance. Skipped for a contact without a phone or with `dnd`.
 * Output: `{messageId, status, to, providerMessageId?}`.
 */
export const sendSmsAction = defineAction(sendSmsStep, {
  execute: async (ctx) => {
    const { config, deps, render } = ctx;
    const { messaging } = deps;
    const provider = messaging.sms;
    return runMessageStep(ctx, {
      channel: 'sms',
      refusal: (contact) => (contact.dnd ? 'dnd' : null),
      recipient: (contact) => (config.to === undefined ? (contact.phone ?? '') : render(config.to)),
      missing: 'no_phone',
      checkRecipient: (to) => {
        if (!phoneSchema.safeParse(to).success)
          throw new NonRetryableError(`'${to.slice(0, 30)}' is not an E.164 phone number`);
      },
      render: (to) => ({ to, body: renderSms(messaging.templates(), config, ctx.context) }),
      delivers: provider.delivers,
      send: (content, key) => provider.send({ to: content.to, body: content.body ?? '', messageId: key }),
    });
  },
});

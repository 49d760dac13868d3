import { emailSchema } from '../contacts/contact-schema';
import { sendEmailStep } from '../definition/steps/send-email';
import { NonRetryableError } from '../lib/step-errors';
import { emailMessageId } from '../messaging/message-id';
import { renderEmail } from '../messaging/render-message';
import { loadSender } from '../messaging/sender';
import { unsubscribeUrl } from '../messaging/unsubscribe-token';
import { defineAction } from './action';
import { runMessageStep } from './message-step';

/**
 * Sends an email to the contact (or `to`) over SMTP_URL, from MAIL_FROM's address under the account's
 * sender name (and Reply-To, when the account has one), exactly once per (run, step)
 * up to the provider's acceptance. Skipped (with a `skipped` message row) for a contact without an
 * email, with `dnd`, or unsubscribed. Output: `{messageId, status, to, providerMessageId?}`.
 */
export const sendEmailAction = defineAction(sendEmailStep, {
  execute: async (ctx) => {
    const { config, deps, render, contactId } = ctx;
    const { messaging } = deps;
    const { mailer } = messaging;
    const url = unsubscribeUrl({ publicUrl: deps.config.PUBLIC_URL, secret: deps.config.LINK_SECRET, contactId });
    // Read at each attempt, so a retry after a settings change signs with the new name; read before
    // the rate limiter hands out a slot, so nothing stands between the slot and the provider call.
    const sender = await loadSender(deps.db.manager, ctx.accountId);
    return runMessageStep(ctx, {
      channel: 'email',
      refusal: (contact) => (contact.dnd ? 'dnd' : contact.unsubscribedFromEmail ? 'unsubscribed' : null),
      recipient: (contact) => (config.to === undefined ? (contact.email ?? '') : render(config.to)),
      missing: 'no_email',
      checkRecipient: (to) => {
        if (!emailSchema.safeParse(to).success)
          throw new NonRetryableError(`'${to.slice(0, 254)}' is not a valid email address`);
      },
      render: (to) => ({ to, ...renderEmail(messaging.templates(), config, { ...ctx.context, unsubscribeUrl: url }) }),
      delivers: mailer.configured,
      send: async (content, key) =>
        mailer.send({
          ...sender,
          to: content.to,
          subject: content.subject ?? '',
          html: content.html ?? null,
          text: content.text ?? '',
          messageId: emailMessageId(key),
          unsubscribeUrl: url,
        }),
    });
  },
});

import { z } from 'zod';
import { phoneSchema } from '../contacts/contact-schema';
import { referenceChecksEnabled } from '../definition/reference-checks';
import { templateString } from '../templating/template';
import { NonRetryableError } from '../lib/step-errors';
import { renderSms } from '../messaging/render-message';
import { TEMPLATE_NAME, currentTemplates } from '../messaging/template-store';
import { defineAction } from './action';
import { requireMessaging } from './action-deps';
import { runMessageStep } from './message-step';
import { checkInlinePartials } from './message-templates';

export const sendSmsConfigSchema = z
  .strictObject({
    /** A template rendering to an E.164 number. Default: the contact's phone. */
    to: templateString.optional(),
    /** Inline body, not HTML-escaped. */
    body: templateString.optional(),
    /** An SMS template of TEMPLATES_DIR: `<template>.sms.hbs`. */
    template: z.string().regex(TEMPLATE_NAME, 'a template name: letters, digits, _ or -').optional(),
  })
  .superRefine((config, ctx) => {
    // A stored version is not checked against TEMPLATES_DIR again: a template gone since fails the step, naming it.
    const store = referenceChecksEnabled() ? currentTemplates() : null;
    if (config.template !== undefined && config.body !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['body'], message: 'either body or template, not both' });
    } else if (config.template !== undefined) {
      const issue = store?.issue('sms', config.template);
      if (issue) ctx.addIssue({ code: 'custom', path: ['template'], message: issue });
    } else if (config.body === undefined) {
      ctx.addIssue({ code: 'custom', path: ['body'], message: 'an SMS needs a body or a template' });
    } else if (store) {
      checkInlinePartials(ctx, store, { body: config.body });
    }
  });
export type SendSmsConfig = z.infer<typeof sendSmsConfigSchema>;

/**
 * Sends an SMS to the contact's phone (or `to`) through SMS_PROVIDER, exactly once per (run, step)
 * up to the provider's acceptance. Skipped for a contact without a phone or with `dnd`.
 * Output: `{messageId, status, to, providerMessageId?}`.
 */
export const sendSmsAction = defineAction({
  type: 'send_sms',
  configSchema: sendSmsConfigSchema,
  execute: async (ctx) => {
    const { config, deps, render } = ctx;
    const messaging = requireMessaging(deps);
    const provider = messaging.sms;
    return runMessageStep(ctx, {
      channel: 'sms',
      refusal: (contact) => (contact.dnd ? 'dnd' : null),
      recipient: (contact) => (config.to === undefined ? (contact.phone ?? '') : render(config.to)),
      missing: 'no_phone',
      checkRecipient: (to) => {
        if (!phoneSchema.safeParse(to).success) throw new NonRetryableError(`'${to.slice(0, 30)}' is not an E.164 phone number`);
      },
      render: (to) => ({ to, body: renderSms(messaging.templates(), config, ctx.context) }),
      delivers: provider.delivers,
      send: (content, key) => provider.send({ to: content.to, body: content.body ?? '', messageId: key }),
    });
  },
});

import { z } from 'zod';
import { emailSchema } from '../contacts/contact-schema';
import { referenceChecksEnabled } from '../definition/reference-checks';
import { templateString } from '../templating/template';
import { NonRetryableError } from '../lib/step-errors';
import { emailMessageId } from '../messaging/message-id';
import { renderEmail } from '../messaging/render-message';
import { TEMPLATE_NAME, currentTemplates } from '../messaging/template-store';
import { unsubscribeUrl } from '../messaging/unsubscribe-token';
import { defineAction } from './action';
import { requireMessaging } from './action-deps';
import { runMessageStep } from './message-step';
import { checkInlinePartials } from './message-templates';

export const sendEmailConfigSchema = z
  .strictObject({
    /** A template rendering to an address. Default: the contact's email. */
    to: templateString.optional(),
    /** Inline subject; with `template`, overrides the template's. */
    subject: templateString.optional(),
    /** Inline HTML body (values HTML-escaped). */
    html: templateString.optional(),
    /** Inline text part. Default: derived from the HTML. */
    text: templateString.optional(),
    /** An email template of TEMPLATES_DIR: `<template>.email.hbs`. */
    template: z.string().regex(TEMPLATE_NAME, 'a template name: letters, digits, _ or -').optional(),
    /** A layout of TEMPLATES_DIR/layouts around inline HTML. Default: none. */
    layout: z.string().regex(TEMPLATE_NAME, 'a layout name: letters, digits, _ or -').optional(),
  })
  .superRefine((config, ctx) => {
    // A stored version is not checked against TEMPLATES_DIR again: a template gone since fails the step, naming it.
    const store = referenceChecksEnabled() ? currentTemplates() : null;
    if (config.template !== undefined) {
      for (const field of ['html', 'text', 'layout'] as const) {
        if (config[field] !== undefined) ctx.addIssue({ code: 'custom', path: [field], message: `not with a template (the template has its own ${field})` });
      }
      const issue = store?.issue('email', config.template);
      if (issue) ctx.addIssue({ code: 'custom', path: ['template'], message: issue });
      return;
    }
    if (config.subject === undefined) ctx.addIssue({ code: 'custom', path: ['subject'], message: 'an email needs a subject (or a template)' });
    if (config.html === undefined && config.text === undefined) {
      ctx.addIssue({ code: 'custom', path: ['html'], message: 'an email needs html, text or a template' });
    }
    if (!store) return;
    if (config.layout !== undefined) {
      const issue = store.layoutIssue(config.layout);
      if (issue) ctx.addIssue({ code: 'custom', path: ['layout'], message: issue });
    }
    checkInlinePartials(ctx, store, { subject: config.subject, html: config.html, text: config.text });
  });
export type SendEmailConfig = z.infer<typeof sendEmailConfigSchema>;

/**
 * Sends an email to the contact (or `to`) over SMTP_URL, from MAIL_FROM, exactly once per (run, step)
 * up to the provider's acceptance. Skipped (with a `skipped` message row) for a contact without an
 * email, with `dnd`, or unsubscribed. Output: `{messageId, status, to, providerMessageId?}`.
 */
export const sendEmailAction = defineAction({
  type: 'send_email',
  configSchema: sendEmailConfigSchema,
  execute: async (ctx) => {
    const { config, deps, render, contactId } = ctx;
    const messaging = requireMessaging(deps);
    const { mailer } = messaging;
    const url = unsubscribeUrl({ publicUrl: deps.config.PUBLIC_URL, secret: deps.config.LINK_SECRET, contactId });
    return runMessageStep(ctx, {
      channel: 'email',
      refusal: (contact) => (contact.dnd ? 'dnd' : contact.unsubscribedFromEmail ? 'unsubscribed' : null),
      recipient: (contact) => (config.to === undefined ? (contact.email ?? '') : render(config.to)),
      missing: 'no_email',
      checkRecipient: (to) => {
        if (!emailSchema.safeParse(to).success) throw new NonRetryableError(`'${to.slice(0, 254)}' is not a valid email address`);
      },
      render: (to) => ({ to, ...renderEmail(messaging.templates(), config, { ...ctx.context, unsubscribeUrl: url }) }),
      delivers: mailer.configured,
      send: (content, key) =>
        mailer.send({
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

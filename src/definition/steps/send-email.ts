import { z } from 'zod';
import { templateString } from '../../templating/template';
import { defineStepType } from '../step-type';
import { checkInlinePartials } from './inline-partials';
import { TEMPLATE_NAME } from './template-name';

export const sendEmailConfigSchema = z
  .strictObject({
    /** A template rendering to an address. Default: the contact's email. */
    to: templateString.optional().meta({ title: 'To', description: 'Default: the contact’s email.' }),
    /** Inline subject; with `template`, overrides the template's. */
    subject: templateString
      .optional()
      .meta({ title: 'Subject', description: 'With a template, replaces its subject.' }),
    /** Inline HTML body (values HTML-escaped). */
    html: templateString
      .optional()
      .meta({ title: 'Body (HTML)', description: 'Without a template; values are HTML-escaped.' }),
    /** Inline text part. Default: derived from the HTML. */
    text: templateString
      .optional()
      .meta({ title: 'Plain-text body', description: 'Default: made from the HTML body.' }),
    /** An email template of TEMPLATES_DIR: `<template>.email.hbs`. */
    template: z.string().regex(TEMPLATE_NAME, 'a template name: letters, digits, _ or -').optional().meta({
      title: 'Template',
      description: 'An email template of TEMPLATES_DIR; or write the subject and body here.',
    }),
    /** A layout of TEMPLATES_DIR/layouts around inline HTML. Default: none. */
    layout: z
      .string()
      .regex(TEMPLATE_NAME, 'a layout name: letters, digits, _ or -')
      .optional()
      .meta({ title: 'Layout', description: 'A layout of TEMPLATES_DIR/layouts around the HTML body. Default: none.' }),
  })
  .superRefine((config, ctx) => {
    if (config.template !== undefined) {
      for (const field of ['html', 'text', 'layout'] as const) {
        if (config[field] !== undefined)
          ctx.addIssue({
            code: 'custom',
            path: [field],
            message: `not with a template (the template has its own ${field})`,
          });
      }
      return;
    }
    if (config.subject === undefined)
      ctx.addIssue({ code: 'custom', path: ['subject'], message: 'an email needs a subject (or a template)' });
    if (config.html === undefined && config.text === undefined) {
      ctx.addIssue({ code: 'custom', path: ['html'], message: 'an email needs html, text or a template' });
    }
  });
export type SendEmailConfig = z.infer<typeof sendEmailConfigSchema>;

/** Sends an email to the contact (or `to`); see src/actions/send-email.ts. */
export const sendEmailStep = defineStepType({
  type: 'send_email',
  label: 'Send email',
  configSchema: sendEmailConfigSchema,
  checkReferences: (config, ctx, { templates }) => {
    if (config.template !== undefined) {
      const issue = templates.issue('email', config.template);
      if (issue) ctx.addIssue({ code: 'custom', path: ['template'], message: issue });
      return;
    }
    if (config.layout !== undefined) {
      const issue = templates.layoutIssue(config.layout);
      if (issue) ctx.addIssue({ code: 'custom', path: ['layout'], message: issue });
    }
    checkInlinePartials(ctx, templates, { subject: config.subject, html: config.html, text: config.text });
  },
});

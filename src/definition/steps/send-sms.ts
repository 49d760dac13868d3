import { z } from 'zod';
import { templateString } from '../../templating/template';
import { defineStepType } from '../step-type';
import { checkInlinePartials } from './inline-partials';
import { TEMPLATE_NAME } from './template-name';

export const sendSmsConfigSchema = z
  .strictObject({
    /** A template rendering to an E.164 number. Default: the contact's phone. */
    to: templateString.optional().meta({ title: 'To', description: 'Default: the contact’s phone.' }),
    /** Inline body, not HTML-escaped. */
    body: templateString.optional().meta({ title: 'Text', description: 'Or choose a template.' }),
    /** An SMS template of TEMPLATES_DIR: `<template>.sms.hbs`. */
    template: z
      .string()
      .regex(TEMPLATE_NAME, 'a template name: letters, digits, _ or -')
      .optional()
      .meta({ title: 'Template', description: 'An SMS template of TEMPLATES_DIR.' }),
  })
  .superRefine((config, ctx) => {
    if (config.template !== undefined && config.body !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['body'], message: 'either body or template, not both' });
    } else if (config.template === undefined && config.body === undefined) {
      ctx.addIssue({ code: 'custom', path: ['body'], message: 'an SMS needs a body or a template' });
    }
  });
export type SendSmsConfig = z.infer<typeof sendSmsConfigSchema>;

/** Sends an SMS to the contact's phone (or `to`); see src/actions/send-sms.ts. */
export const sendSmsStep = defineStepType({
  type: 'send_sms',
  label: 'Send SMS',
  configSchema: sendSmsConfigSchema,
  checkReferences: (config, ctx, { templates }) => {
    // Both given is the schema's issue; then neither is looked up.
    if (config.template !== undefined && config.body !== undefined) return;
    if (config.template !== undefined) {
      const issue = templates.issue('sms', config.template);
      if (issue) ctx.addIssue({ code: 'custom', path: ['template'], message: issue });
    } else if (config.body !== undefined) {
      checkInlinePartials(ctx, templates, { body: config.body });
    }
  },
});

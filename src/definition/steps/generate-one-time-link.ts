import { z } from 'zod';
import { isStorableText } from '../../lib/storable-text';
import { templateString } from '../../templating/template';
import { defineStepType } from '../step-type';
import { linkOptionsShape } from './link-options';

/** A custom field's name, by the same rule as the contacts' own (contacts/contact-schema.ts). */
const customFieldName = z
  .string()
  .refine(isStorableText, 'must not contain NUL or unpaired surrogate characters')
  .min(1, 'must not be empty')
  .max(100);

export const generateOneTimeLinkConfigSchema = z.strictObject({
  /** The calendar's slug or id (a template). */
  calendar: templateString.min(1).meta({ title: 'Calendar', description: 'The calendar the link books.' }),
  /** How long the link may be used: `30m`, `7d`, ISO-8601 or ms. Default 7d. */
  expiresIn: linkOptionsShape.expiresIn.meta({ title: 'Valid for', description: 'Default 7 days, at most 366.' }),
  /** Bookings the link allows. Default 1. */
  maxUses: linkOptionsShape.maxUses.meta({ title: 'Bookings allowed', description: 'Default 1.' }),
  /** Also store the URL on the contact as this custom field (`{{contact.customFields.<name>}}`). Default: not stored. */
  saveTo: customFieldName.optional().meta({
    title: 'Save the link to custom field',
    description: 'Then emails and SMS can use {{contact.customFields.<name>}}.',
  }),
  /** Revoke the contact's earlier active links to the same calendar. Default false. */
  revokePrevious: z.boolean().default(false).meta({ title: 'Revoke the contact’s earlier links to this calendar' }),
});
export type GenerateOneTimeLinkConfig = z.infer<typeof generateOneTimeLinkConfigSchema>;

/** Mints a one-time booking link for the run's contact; see src/actions/generate-one-time-link.ts. */
export const generateOneTimeLinkStep = defineStepType({
  type: 'generate_one_time_link',
  label: 'Generate one-time link',
  configSchema: generateOneTimeLinkConfigSchema,
  calendarFields: ['calendar'],
});

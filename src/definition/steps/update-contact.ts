import { z } from 'zod';
import { templateString } from '../../templating/template';
import { defineStepType } from '../step-type';

/** The fields a workflow may set; custom fields by name. */
export const CONTACT_FIELD_KEY = /^(firstName|lastName|email|phone|timezone|dnd|customFields\.[^.]{1,100})$/;
const KEY_MESSAGE = 'not a settable field: firstName, lastName, email, phone, timezone, dnd or customFields.<name>';

export const updateContactConfigSchema = z.strictObject({
  /** Field → value; strings are templates. `null` clears a field. */
  set: z
    .record(z.string().regex(CONTACT_FIELD_KEY), z.union([templateString, z.number(), z.boolean(), z.null()]), {
      error: (issue) => (issue.code === 'invalid_key' ? KEY_MESSAGE : undefined),
    })
    .refine((set) => Object.keys(set).length > 0, 'set at least one field')
    .meta({
      title: 'Fields to set',
      description: 'firstName, lastName, email, phone, timezone, dnd or customFields.<name>; null clears one.',
    }),
});
export type UpdateContactConfig = z.infer<typeof updateContactConfigSchema>;

export const updateContactStep = defineStepType({
  type: 'update_contact',
  label: 'Update contact',
  configSchema: updateContactConfigSchema,
});

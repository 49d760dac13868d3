import { z } from 'zod';
import { setContactFields } from '../contacts/contact-service';
import { templateString } from '../templating/template';
import { defineAction } from './action';
import { failFastOnContactErrors } from './contact-errors';

/** The fields a workflow may set; custom fields by name. */
export const CONTACT_FIELD_KEY = /^(firstName|lastName|email|phone|timezone|dnd|customFields\.[^.]{1,100})$/;
const KEY_MESSAGE = 'not a settable field: firstName, lastName, email, phone, timezone, dnd or customFields.<name>';

export const updateContactConfigSchema = z.strictObject({
  /** Field → value; strings are templates. `null` clears a field. */
  set: z
    .record(z.string().regex(CONTACT_FIELD_KEY), z.union([templateString, z.number(), z.boolean(), z.null()]), {
      error: (issue) => (issue.code === 'invalid_key' ? KEY_MESSAGE : undefined),
    })
    .refine((set) => Object.keys(set).length > 0, 'set at least one field'),
});
export type UpdateContactConfig = z.infer<typeof updateContactConfigSchema>;

/** A template renders to text; `dnd` is a boolean, so a rendered `true`/`false` becomes one. */
function renderValue(key: string, value: string | number | boolean | null, render: (t: string) => string): unknown {
  if (typeof value !== 'string') return value;
  const text = render(value);
  if (key === 'dnd' && /^(true|false)$/i.test(text.trim())) return text.trim().toLowerCase() === 'true';
  return text;
}

export const updateContactAction = defineAction({
  type: 'update_contact',
  configSchema: updateContactConfigSchema,
  execute: async ({ config, render, deps, accountId, contactId }) => {
    const updated = Object.fromEntries(
      Object.entries(config.set).map(([key, value]) => [key, renderValue(key, value, render)]),
    );
    await failFastOnContactErrors(() => deps.db.transaction((tx) => setContactFields(tx, accountId, contactId, updated)));
    return { kind: 'completed', output: { updated } };
  },
});

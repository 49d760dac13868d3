import { z } from 'zod';
import { templateString } from '../../templating/template';
import { defineStepType } from '../step-type';

/** `{ tag }` of add_tag and remove_tag: a template such as `vip` or `plan-{{trigger.data.plan}}`. */
export const tagConfigSchema = z.strictObject({
  tag: templateString.min(1).meta({ title: 'Tag', description: 'Tags compare without regard to case.' }),
});
export type TagConfig = z.infer<typeof tagConfigSchema>;

/** Tags the contact; a new tag fires `contact.tag_added`. */
export const addTagStep = defineStepType({ type: 'add_tag', label: 'Add tag', configSchema: tagConfigSchema });

/** Takes a tag off the contact. */
export const removeTagStep = defineStepType({ type: 'remove_tag', label: 'Remove tag', configSchema: tagConfigSchema });

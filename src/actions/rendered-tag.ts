import { z } from 'zod';
import { NonRetryableError } from '../lib/step-errors';
import { templateString } from '../templating/template';

/** `{ tag }` of add_tag and remove_tag: a template such as `vip` or `plan-{{trigger.data.plan}}`. */
export const tagConfigSchema = z.strictObject({ tag: templateString.min(1) });

/** The tag as the contacts service stores it: rendered, trimmed, lower-cased, never empty. */
export function renderTag(template: string, render: (template: string) => string): string {
  const tag = render(template).trim().toLowerCase();
  if (tag === '') throw new NonRetryableError('tag rendered to an empty string');
  return tag;
}

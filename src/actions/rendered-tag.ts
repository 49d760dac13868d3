import { NonRetryableError } from '../lib/step-errors';

/** The tag as the contacts service stores it: rendered, trimmed, lower-cased, never empty. */
export function renderTag(template: string, render: (template: string) => string): string {
  const tag = render(template).trim().toLowerCase();
  if (tag === '') throw new NonRetryableError('tag rendered to an empty string');
  return tag;
}

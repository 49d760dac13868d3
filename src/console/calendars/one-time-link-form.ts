import { z } from 'zod';
import type { Tx } from '../../db/data-source';
import { DEFAULT_LINK_TTL_MS, linkOptionsShape } from '../../links/link-service';
import { ValidationError, type IssueDetail } from '../../lib/errors';
import { toIssueDetails } from '../../lib/zod-issues';
import { findContactByRef } from '../contacts/contact-search';

/** The "Valid for" choices of the One Time Link tab; the form accepts any duration the API does. */
const EXPIRY_CHOICES = [
  { value: '1h', label: '1 hour' },
  { value: '1d', label: '1 day' },
  { value: '3d', label: '3 days' },
  { value: '7d', label: '7 days' },
  { value: '14d', label: '14 days' },
  { value: '30d', label: '30 days' },
  { value: '90d', label: '90 days' },
];

/** What the options form posts, as typed (so a refused form comes back as it was sent). */
export interface OneTimeLinkFormValues {
  expiresIn: string;
  maxUses: string;
  contact: string;
}

export const DEFAULT_FORM_VALUES: OneTimeLinkFormValues = { expiresIn: '7d', maxUses: '1', contact: '' };

/** Empty fields take their defaults before this runs; `expiresIn` is checked as the API checks it. */
const formSchema = z.object({
  expiresIn: linkOptionsShape.expiresIn,
  maxUses: z
    .string()
    .regex(/^\d+$/, 'give a whole number from 1 to 1000')
    .transform(Number)
    .pipe(z.number().min(1, 'at least 1').max(1000, 'at most 1000')),
  contact: z.string().max(254, 'at most 254 characters: type an email, or pick a contact from the list'),
});

export interface MintChoice {
  expiresInMs: number;
  maxUses: number;
  contactId: string | null;
}

/**
 * The options of "Generate New Link": how long it is valid, how many bookings it allows, and for
 * which contact (by email or id, as the picker fills it in; empty: anyone). Throws a
 * ValidationError naming each field and what to put in it.
 */
export async function parseOneTimeLinkForm(
  tx: Tx,
  accountId: string,
  values: OneTimeLinkFormValues,
): Promise<MintChoice> {
  const parsed = formSchema.safeParse({
    expiresIn: values.expiresIn || DEFAULT_FORM_VALUES.expiresIn,
    maxUses: values.maxUses || DEFAULT_FORM_VALUES.maxUses,
    contact: values.contact,
  });
  const issues: IssueDetail[] = parsed.success ? [] : toIssueDetails(parsed.error);
  let contactId: string | null = null;
  if (values.contact && !issues.some((issue) => issue.path === 'contact')) {
    contactId = (await findContactByRef(tx, accountId, values.contact))?.id ?? null;
    if (!contactId)
      issues.push({
        path: 'contact',
        message: `no contact is known by “${values.contact}”: type their email, pick one from the list, or leave it empty for anyone`,
      });
  }
  if (!parsed.success || issues.length > 0) throw new ValidationError(issues);
  return { expiresInMs: parsed.data.expiresIn ?? DEFAULT_LINK_TTL_MS, maxUses: parsed.data.maxUses, contactId };
}

/** The "Valid for" options, the current value selected (added when it is not one of the choices). */
export function expiryOptions(current: string): { value: string; label: string; selected: boolean }[] {
  const options = EXPIRY_CHOICES.map((choice) => ({ ...choice, selected: choice.value === current }));
  if (current && !options.some((option) => option.selected))
    options.push({ value: current, label: current, selected: true });
  return options;
}

/** The per-field messages of a refused form, for the fields to show beside them. */
export function fieldIssues(issues: IssueDetail[]): Record<string, string> {
  const byField: Record<string, string> = {};
  for (const issue of issues) byField[issue.path || 'form'] ??= issue.message;
  return byField;
}

import { z } from 'zod';
import { storableString, timezoneSchema } from '../accounts/field-schemas';

/** Trimmed and lower-cased, so a marketer's "Lead" matches a trigger on "lead". */
export const tagSchema = storableString.trim().toLowerCase().min(1, 'must not be empty').max(100);
export const tagListSchema = z.array(tagSchema).max(100);

/** Stored as given; unique per account regardless of case. */
export const emailSchema = z.email('must be a valid email address').max(254);
export const phoneSchema = z.string().regex(/^\+[1-9]\d{6,14}$/, 'must be an E.164 phone number like +14155550123');
const nameSchema = storableString.trim().max(200);

export const customFieldNameSchema = storableString.min(1, 'must not be empty').max(100);
export const customFieldValueSchema = z.union([storableString.max(10_000), z.number(), z.boolean(), z.null()]);
export const customFieldsSchema = z
  .record(customFieldNameSchema, customFieldValueSchema)
  .refine((fields) => Object.keys(fields).length <= 200, 'at most 200 custom fields');

/** Every writable field of a contact; `null` clears one. */
export const contactFieldShape = {
  email: emailSchema.nullable(),
  phone: phoneSchema.nullable(),
  firstName: nameSchema.nullable(),
  lastName: nameSchema.nullable(),
  timezone: timezoneSchema.nullable(),
  tags: tagListSchema,
  customFields: customFieldsSchema,
  dnd: z.boolean(),
};

export const NEEDS_EMAIL_OR_PHONE = 'A contact needs an email or a phone';

/** A new contact: every field optional, but an email or a phone is required. `dnd` defaults to false. */
export const contactInputSchema = z
  .strictObject(contactFieldShape)
  .partial()
  .refine((input) => Boolean(input.email || input.phone), NEEDS_EMAIL_OR_PHONE);
export type ContactInput = z.infer<typeof contactInputSchema>;

/** A change: each given field replaces the stored one (`tags` replaces the set, `customFields` the map). */
export const contactPatchSchema = z.strictObject(contactFieldShape).partial();
export type ContactPatch = z.infer<typeof contactPatchSchema>;

/** A contact as the API and the engine see it: null for unset fields, ISO-8601 times. */
export const contactSchema = z.object({
  id: z.string(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  firstName: z.string().nullable(),
  lastName: z.string().nullable(),
  timezone: z.string().nullable(),
  tags: z.array(z.string()),
  customFields: z.record(z.string(), customFieldValueSchema),
  dnd: z.boolean(),
  /** The contact unsubscribed from email (the link in every email); email steps skip them. */
  unsubscribedFromEmail: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Contact = z.infer<typeof contactSchema>;

/** Filters and page of `GET /api/v1/contacts`; query-string values are coerced. */
export const listContactsSchema = z.object({
  email: storableString.max(254).optional(),
  tag: tagSchema.optional(),
  /** Page size. Default 50, at most 200. */
  limit: z.coerce.number().int().min(1).max(200).optional(),
  /** `nextCursor` of the previous page. */
  cursor: z.string().max(200).optional(),
});
export type ListContactsOptions = z.infer<typeof listContactsSchema>;

/** Keeps the first occurrence of each tag, in order. */
export function uniqueTags(tags: readonly string[]): string[] {
  return [...new Set(tags)];
}

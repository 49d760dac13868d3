import { z } from 'zod';
import { storableString, timezoneSchema } from './field-schemas';

export const apiKeyScopeSchema = z.enum(['admin', 'account']);
export type ApiKeyScope = z.infer<typeof apiKeyScopeSchema>;

const accountNameSchema = storableString.trim().min(1, 'must not be empty').max(200);

/** Body of `POST /api/v1/accounts`. */
export const createAccountSchema = z.strictObject({
  name: accountNameSchema,
  /** Default UTC. */
  timezone: timezoneSchema.optional(),
});
export type CreateAccountInput = z.infer<typeof createAccountSchema>;

/** 'account': console times in the account's zone; 'viewer': in each viewer's browser zone. */
export const consoleZoneSchema = z.enum(['account', 'viewer']);

/**
 * The display name of an email's From. Mail software quotes it, but a line break could still start a
 * header in a careless relay, and quotes or angle brackets could make it read as another address.
 */
export const senderNameSchema = storableString
  .trim()
  .min(1, 'must not be empty')
  .max(100)
  .refine((name) => !/[\p{Cc}\p{Zl}\p{Zp}"<>]/u.test(name), 'must not contain line breaks, quotes or angle brackets');

/** Replies to the account's emails; the From address stays MAIL_FROM. */
export const replyToSchema = z.email('must be a valid email address').max(254);

/** Body of `PATCH /api/v1/account` and of the console's settings form: absent fields keep their value. */
export const updateAccountSchema = z.strictObject({
  name: accountNameSchema.optional(),
  /** An IANA zone: the account's default for contacts without one, and the console's times. */
  timezone: timezoneSchema.optional(),
  /** The From display name of its emails; null: the account's name. */
  senderName: senderNameSchema.nullable().optional(),
  /** The Reply-To of its emails; null: none. */
  replyTo: replyToSchema.nullable().optional(),
  /** Where the console shows times. Default 'account'. */
  consoleZone: consoleZoneSchema.optional(),
});
export type UpdateAccountInput = z.infer<typeof updateAccountSchema>;

export const accountSchema = z.object({
  id: z.string(),
  name: z.string(),
  timezone: z.string(),
  senderName: z.string().nullable(),
  replyTo: z.string().nullable(),
  consoleZone: consoleZoneSchema,
});
export type Account = z.infer<typeof accountSchema>;

import { z } from 'zod';
import { storableString, timezoneSchema } from './field-schemas';

export const apiKeyScopeSchema = z.enum(['admin', 'account']);
export type ApiKeyScope = z.infer<typeof apiKeyScopeSchema>;

/** Body of `POST /api/v1/accounts`. */
export const createAccountSchema = z.strictObject({
  name: storableString.trim().min(1, 'must not be empty').max(200),
  /** Default UTC. */
  timezone: timezoneSchema.optional(),
});
export type CreateAccountInput = z.infer<typeof createAccountSchema>;

export const accountSchema = z.object({ id: z.string(), name: z.string(), timezone: z.string() });
export type Account = z.infer<typeof accountSchema>;

import { z } from 'zod';
import { apiKeyScopeSchema } from './account-schema';
import { storableString } from './field-schemas';

/** Body of `POST /api/v1/keys`. */
export const createApiKeySchema = z.strictObject({
  /** What the key is for, e.g. "Zapier" or "nightly export". */
  name: storableString.trim().min(1, 'must not be empty').max(100),
  /** An admin key (it may create accounts); only an admin caller may ask. Default false. */
  admin: z.boolean().optional(),
});
export type CreateApiKeyInput = z.infer<typeof createApiKeySchema>;

/** A key as its account sees it: never the key itself, which only its creation answers. */
export const apiKeySchema = z.object({
  id: z.string(),
  name: z.string(),
  /** `lf_` and the key's next 8 characters; null for a configured API_KEY and for keys older than names. */
  prefix: z.string().nullable(),
  scope: apiKeyScopeSchema,
  createdAt: z.string(),
  /** Updated at most once a minute. */
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export type ApiKeyView = z.infer<typeof apiKeySchema>;

/** `POST /api/v1/keys` answers the key, this once. */
export const createdApiKeySchema = apiKeySchema
  .pick({ id: true, name: true, prefix: true, scope: true, createdAt: true })
  .extend({ key: z.string() });
export type CreatedApiKey = z.infer<typeof createdApiKeySchema>;

export const apiKeyListSchema = z.object({ items: z.array(apiKeySchema) });

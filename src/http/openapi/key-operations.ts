import { apiKeyListSchema, createApiKeySchema, createdApiKeySchema } from '../../accounts/api-key-schema';
import type { ApiOperation } from './api-operation';

/** The caller's account's own API keys. */
export const keyOperations: ApiOperation[] = [
  {
    id: 'createApiKey',
    method: 'post',
    path: '/keys',
    tag: 'API keys',
    summary: "Create an API key of the caller's account",
    description:
      'The key is in this answer and never again; only its SHA-256 is stored. `admin: true` needs an admin key (403 otherwise).',
    body: createApiKeySchema,
    errors: [403],
    response: { status: 201, description: 'The key, shown this once', schema: createdApiKeySchema },
  },
  {
    id: 'listApiKeys',
    method: 'get',
    path: '/keys',
    tag: 'API keys',
    summary: "The account's keys, revoked ones too (never the keys themselves)",
    response: {
      status: 200,
      description: 'Every key of the account, oldest first; `lastUsedAt` is updated at most once a minute',
      schema: apiKeyListSchema,
    },
  },
  {
    id: 'revokeApiKey',
    method: 'delete',
    path: '/keys/:id',
    tag: 'API keys',
    summary: 'Revoke a key: it answers 401 from now on and its console sessions end',
    description: "Revoking a revoked key changes nothing. The account's last live key cannot be revoked (409).",
    errors: [409],
    response: { status: 204, description: 'Revoked' },
  },
];

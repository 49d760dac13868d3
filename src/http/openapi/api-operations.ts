import { accountOperations } from './account-operations';
import type { ApiOperation } from './api-operation';
import { bookingOperations } from './booking-operations';
import { builderOperations } from './builder-operations';
import { coreOperations } from './core-operations';
import { importOperations } from './import-operations';
import { keyOperations } from './key-operations';

/** This description and its page: served without an API key. */
const docsOperations: ApiOperation[] = [
  {
    id: 'getOpenApi',
    method: 'get',
    path: '/openapi.json',
    tag: 'API description',
    summary: 'This OpenAPI 3.1 description',
    public: true,
    response: { status: 200, description: 'The OpenAPI document' },
  },
  {
    id: 'getApiDocs',
    method: 'get',
    path: '/docs',
    tag: 'API description',
    summary: 'The API reference as an HTML page',
    public: true,
    response: { status: 200, description: 'An HTML page' },
  },
];

/**
 * Every `/api/v1` operation, in the order the reference shows them. A test walks the mounted routes
 * of the app and fails when one is missing here.
 */
export const apiOperations: readonly ApiOperation[] = [
  ...coreOperations,
  ...importOperations,
  ...accountOperations,
  ...builderOperations,
  ...keyOperations,
  ...bookingOperations,
  ...docsOperations,
];

import { z } from 'zod';
import { pageOf } from './api-schemas';

/** An item of `GET /workflows/:id/versions`: what identifies a version, without its definition. */
export const workflowVersionSummarySchema = z.object({
  version: z.number().int().min(1),
  createdAt: z.string(),
  source: z
    .enum(['file', 'api'])
    .nullable()
    .describe('How the version was saved; null for versions saved before this was recorded'),
  hash: z
    .string()
    .describe("sha256 (hex) of the definition's canonical JSON (keys sorted): equal hashes, equal definitions"),
});

export const workflowVersionPageSchema = pageOf(workflowVersionSummarySchema);

/** `GET /workflows/:id/versions/:version`: the summary and the whole definition as it was given. */
export const workflowVersionSchema = workflowVersionSummarySchema.extend({ definition: z.unknown() });

import { z } from 'zod';
import { accountSchema } from '../../accounts/account-schema';
import { contactSchema } from '../../contacts/contact-schema';
import { definitionShapeSchema, stepBaseSchema } from '../../definition/definition-schema';
import { STEP_TYPES, stepTypeOf } from '../../definition/step-types';

/**
 * Schemas the API description needs beyond those the routes parse with, built only from the real
 * ones: a workflow body with one step shape per action type, and list pages of real item schemas.
 */

/** A step of one type: the base fields every step has plus that type's own config. */
function stepSchemaOf(type: string): z.ZodType {
  const config = stepTypeOf(type)?.configSchema;
  const base = { ...stepBaseSchema.shape, type: z.literal(type) };
  if (config instanceof z.ZodObject) return z.strictObject({ ...base, ...config.shape });
  return z.looseObject(base);
}

/**
 * Body of `POST /workflows` and `PUT /workflows/:id`: what `parseDefinition` accepts. The route
 * checks the shape with `definitionShapeSchema` and each step with its type's config schema;
 * this is the two put together (the graph checks — existing targets, no cycles — are not expressible).
 */
export const workflowBodySchema = definitionShapeSchema.extend({
  steps: z.array(z.union(STEP_TYPES.map(stepSchemaOf))).min(1),
});

/** `POST /accounts` answers the account and its first key, shown this once. */
export const createdAccountSchema = accountSchema.extend({ apiKey: z.string() });

/** `{"items":[…],"nextCursor":…}` of a list endpoint. */
export function pageOf(item: z.ZodType): z.ZodType {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}

export const contactPageSchema = pageOf(contactSchema);

/** The body of every error response. */
export const errorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  }),
});

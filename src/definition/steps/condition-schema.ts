import { z } from 'zod';
import { templateString } from '../../templating/template';

export const CONDITION_OPS = [
  'equals',
  'not_equals',
  'contains',
  'not_contains',
  'exists',
  'not_exists',
  'gt',
  'lt',
] as const;
export type ConditionOp = (typeof CONDITION_OPS)[number];

export const UNARY_OPS: readonly ConditionOp[] = ['exists', 'not_exists'];

/** `{ field: 'contact.tags', op: 'contains', value: 'vip' }`. A string `value` may be a template. */
export const conditionSchema = z
  .strictObject({
    /** A dot path into the run context: `contact.customFields.plan`, `trigger.data.amount`. */
    field: z.string().regex(/^[^.]+(\.[^.]+)*$/, 'a dot path like contact.customFields.plan'),
    op: z.enum(CONDITION_OPS),
    value: z.union([templateString, z.number(), z.boolean()]).optional(),
  })
  .refine((condition) => UNARY_OPS.includes(condition.op) || condition.value !== undefined, {
    message: 'this op compares with a value: add `value`',
    path: ['value'],
  });
export type Condition = z.infer<typeof conditionSchema>;

export const matchSchema = z.enum(['all', 'any']);
export type ConditionMatch = z.infer<typeof matchSchema>;

import { z } from 'zod';
import { defineStepType } from '../step-type';
import { conditionSchema, matchSchema } from './condition-schema';
import { stepTarget } from './step-target';

/** Branches on the run context: `then` when the conditions hold, `else` otherwise. */
export const ifElseConfigSchema = z.strictObject({
  conditions: z.array(conditionSchema).min(1, 'at least one condition'),
  /** `all` (every condition) or `any` (one is enough). Default all. */
  match: matchSchema
    .default('all')
    .meta({ title: 'Match', description: 'all: every condition must hold; any: one is enough.' }),
  then: stepTarget.meta({ title: 'If they hold, go to' }),
  else: stepTarget.meta({ title: 'Otherwise, go to' }),
});
export type IfElseConfig = z.infer<typeof ifElseConfigSchema>;

export const ifElseStep = defineStepType({
  type: 'if_else',
  label: 'If / else',
  configSchema: ifElseConfigSchema,
  targets: (config) => [
    { path: 'then', stepId: config.then },
    { path: 'else', stepId: config.else },
  ],
  fallsThrough: () => false,
});

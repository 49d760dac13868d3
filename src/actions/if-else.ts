import { z } from 'zod';
import { conditionSchema, evaluateConditions, matchSchema, type Condition } from '../engine/conditions';
import { defineAction } from './action';
import { stepTarget } from './step-target';

/** Branches on the run context: `then` when the conditions hold, `else` otherwise. */
export const ifElseConfigSchema = z.strictObject({
  conditions: z.array(conditionSchema).min(1, 'at least one condition'),
  /** `all` (every condition) or `any` (one is enough). Default all. */
  match: matchSchema.default('all'),
  then: stepTarget,
  else: stepTarget,
});
export type IfElseConfig = z.infer<typeof ifElseConfigSchema>;

export const ifElseAction = defineAction({
  type: 'if_else',
  configSchema: ifElseConfigSchema,
  targets: (config) => [
    { path: 'then', stepId: config.then },
    { path: 'else', stepId: config.else },
  ],
  fallsThrough: () => false,
  execute: async ({ config, render, context }) => {
    const rendered: Condition[] = config.conditions.map((condition) =>
      typeof condition.value === 'string' ? { ...condition, value: render(condition.value) } : condition,
    );
    const result = evaluateConditions(rendered, config.match, context);
    return { kind: 'completed', output: { result }, next: result ? config.then : config.else };
  },
});

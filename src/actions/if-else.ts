import type { Condition } from '../definition/steps/condition-schema';
import { ifElseStep } from '../definition/steps/if-else';
import { evaluateConditions } from '../engine/conditions';
import { defineAction } from './action';

/** Branches on the run context: `then` when the conditions hold, `else` otherwise. */
export const ifElseAction = defineAction(ifElseStep, {
  execute: async ({ config, render, context }) => {
    const rendered: Condition[] = config.conditions.map((condition) =>
      typeof condition.value === 'string' ? { ...condition, value: render(condition.value) } : condition,
    );
    const result = evaluateConditions(rendered, config.match, context);
    return { kind: 'completed', output: { result }, next: result ? config.then : config.else };
  },
});

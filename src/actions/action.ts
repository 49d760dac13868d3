import type { z } from 'zod';
import type { StepTypeDefinition } from '../definition/step-type';
import type { ActionOutcome, OutputCodec, StepContext, StepEffects } from '../engine/action-contract';
import type { ActionDeps } from './action-deps';

/** What an action gets for one attempt of its step: the engine's StepContext plus its services. */
export interface ActionContext<Config> extends StepContext<Config> {
  deps: ActionDeps;
}

/** A step type (src/definition/steps/) with what it does when it runs. */
export interface ActionDefinition<Type extends string = string, Schema extends z.ZodType = z.ZodType>
  extends StepTypeDefinition<Type, Schema>, OutputCodec, StepEffects {
  execute(ctx: ActionContext<z.infer<Schema>>): Promise<ActionOutcome>;
}

/** The executor part of an action; its step type comes from the definition. */
export type ActionExecutor<Schema extends z.ZodType> = OutputCodec &
  StepEffects & {
    execute(ctx: ActionContext<z.infer<Schema>>): Promise<ActionOutcome>;
  };

/** Joins a step type and its executor; the config type comes from the step type's schema. */
export function defineAction<const Type extends string, Schema extends z.ZodType>(
  stepType: StepTypeDefinition<Type, Schema>,
  executor: ActionExecutor<Schema>,
): ActionDefinition<Type, Schema> {
  return { ...stepType, ...executor };
}

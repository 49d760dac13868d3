import type { z } from 'zod';
import type { DefinitionReferences } from './references';

/**
 * One step type as data: what a workflow may write for it and where it can jump. Pure (zod and
 * template checks only), so the server's definition checks and the browser's builder share it; what
 * the step does when it runs is its executor's (src/actions/).
 */
export interface StepTypeDefinition<Type extends string = string, Schema extends z.ZodType = z.ZodType> {
  type: Type;
  /** What the builder calls it: "Send email". */
  label: string;
  /** The step's fields beyond id/type/name/next/retry. Strict: an unknown field is a validation error. */
  configSchema: Schema;
  /** Step ids this config can jump to, with their path inside the step, for the graph checks. */
  targets?(config: z.infer<Schema>): { path: string; stepId: string }[];
  /**
   * Config fields naming a calendar of the account (slug or id, or a template), checked against the
   * account's calendars on save (calendar-references.ts) and offered a calendar picker by the builder.
   * Default: none.
   */
  calendarFields?: readonly string[];
  /** False when the step never goes to its default next step (if_else, end). Default true. */
  fallsThrough?(config: z.infer<Schema>): boolean;
  /**
   * Checks what the config names outside the definition (message templates, layouts, partials),
   * run with the config schema when the caller passes references (see references.ts).
   */
  checkReferences?(config: z.infer<Schema>, ctx: z.RefinementCtx, references: DefinitionReferences): void;
}

/** Keeps the literal type name and infers the config type from the schema. */
export function defineStepType<const Type extends string, Schema extends z.ZodType>(
  definition: StepTypeDefinition<Type, Schema>,
): StepTypeDefinition<Type, Schema> {
  return definition;
}

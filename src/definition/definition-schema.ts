import { z } from 'zod';
import { durationSchema } from '../lib/duration';
import { sendingWindowSchema } from './sending-window-schema';
import { triggerSchema } from './trigger-schema';

export const STEP_ID = /^[A-Za-z0-9_-]{1,64}$/;
export const WORKFLOW_SLUG = /^[a-z0-9][a-z0-9_-]{0,63}$/;
/** Bounds the graph checks (and a marketer's patience); far above any real workflow. */
export const MAX_STEPS = 500;

/** Per-step retry policy: attempts in all (first try included) and the first backoff, doubled each time. */
export const retrySchema = z.strictObject({
  attempts: z.number().int().min(1).max(25).default(3),
  backoff: durationSchema.default(1000),
});
export type RetryPolicy = z.infer<typeof retrySchema>;
export const DEFAULT_RETRY: RetryPolicy = { attempts: 3, backoff: 1000 };

/** The fields every step has; the rest of a step is its type's own config (see step-types.ts). */
export const stepBaseSchema = z.object({
  id: z.string().regex(STEP_ID, 'step ids are 1-64 letters, digits, _ or -'),
  type: z.string().min(1),
  name: z.string().optional(),
  next: z.string().optional(),
  retry: retrySchema.optional(),
});
export const STEP_BASE_KEYS = Object.keys(stepBaseSchema.shape);

/** A workflow definition as written in a file or an API body, before the per-step-type config checks. */
export const definitionShapeSchema = z.strictObject({
  id: z.string().regex(WORKFLOW_SLUG, 'a slug: lower-case letters, digits, _ or -, starting with a letter or digit'),
  name: z.string().min(1).max(200),
  description: z.string().max(2000).optional(),
  status: z.enum(['active', 'draft']).default('active'),
  trigger: triggerSchema,
  allowReentry: z.boolean().default(false),
  /** When send steps may send, in the contact's zone. Default: any time. */
  sendingWindow: sendingWindowSchema.optional(),
  steps: z
    .array(z.looseObject(stepBaseSchema.shape))
    .min(1, 'a workflow needs at least one step')
    .max(MAX_STEPS, `a workflow has at most ${MAX_STEPS} steps`),
});

export type StepBase = z.infer<typeof stepBaseSchema>;

/** A step after validation: its base fields plus its type's parsed config. */
export interface StepDefinition extends StepBase {
  config: Record<string, unknown>;
}

export interface WorkflowDefinition extends Omit<z.infer<typeof definitionShapeSchema>, 'steps'> {
  steps: StepDefinition[];
}

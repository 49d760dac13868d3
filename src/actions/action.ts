import type { z } from 'zod';
import type { Tx } from '../db/data-source';
import type { Logger } from '../lib/logger';
import type { StepDefinition } from '../definition/definition-schema';
import type { SendingWindow } from '../definition/sending-window-schema';
import type { ActionDeps } from './action-deps';

/** What templates and conditions can see: `{{contact.firstName}}`, `steps.<id>.url`, `trigger.data.x`. */
export interface RunContext {
  contact: Record<string, unknown>;
  account: { id: string; name: string; timezone: string };
  workflow: { id: string; slug: string; name: string; version: number };
  run: { id: string; startedAt: string };
  trigger: { type: string; data: Record<string, unknown> };
  steps: Record<string, unknown>;
  /** In runs started or resumed by a booking: `{id, start, end, status, rescheduleUrl, cancelUrl, calendarId, calendarName}`. */
  appointment?: Record<string, unknown>;
}

export interface ActionContext<Config> {
  /** The step's own config, parsed by the action's schema; string fields are still templates. */
  config: Config;
  step: StepDefinition;
  runId: string;
  accountId: string;
  contactId: string;
  context: RunContext;
  /** Renders a template over `context` without HTML escaping. */
  render(template: string): string;
  /** `${runId}:${stepId}`: the same on every retry and redelivery of this step. */
  idempotencyKey: string;
  /** 1 on the first attempt. */
  attempt: number;
  isLastAttempt: boolean;
  /** The workflow's `sendingWindow`, for steps that send messages. Default: none (any time). */
  sendingWindow?: SendingWindow;
  deps: ActionDeps;
  log: Logger;
}

/**
 * How a step ends. `next`: undefined → the step's `next`, else the following step in the list;
 * null → the run ends here.
 */
export type ActionOutcome =
  | { kind: 'completed'; output?: unknown; next?: string | null }
  | { kind: 'skipped'; reason: string; output?: unknown; next?: string | null }
  | { kind: 'wait'; until: Date | null; event: string | null; calendar?: string; onEvent?: string; onTimeout?: string; output?: unknown }
  | { kind: 'end'; output?: unknown };

export interface ActionDefinition<Schema extends z.ZodType = z.ZodType> {
  type: string;
  /** The step's fields beyond id/type/name/next/retry. Strict: an unknown field is a validation error. */
  configSchema: Schema;
  /** Step ids this config can jump to, with their path inside the step, for the graph checks. */
  targets?(config: z.infer<Schema>): { path: string; stepId: string }[];
  /** False when the step never goes to its default next step (if_else, end). Default true. */
  fallsThrough?(config: z.infer<Schema>): boolean;
  execute(ctx: ActionContext<z.infer<Schema>>): Promise<ActionOutcome>;
  /**
   * The output as stored in run_steps, when part of it must not be (a URL carrying a token that can
   * be derived again). Default: stored as returned. `restoreOutputs` rebuilds what this removed.
   */
  storedOutput?(output: unknown): unknown;
  /** Rebuilds stored outputs of this action's steps for templates and the runs API, in order. */
  restoreOutputs?(outputs: unknown[], deps: OutputRestoreDeps): Promise<unknown[]>;
}

export interface OutputRestoreDeps {
  tx: Tx;
  config: { PUBLIC_URL: string; LINK_SECRET: string };
}

/** Helps TypeScript infer the config type from the schema. */
export function defineAction<Schema extends z.ZodType>(definition: ActionDefinition<Schema>): ActionDefinition<Schema> {
  return definition;
}

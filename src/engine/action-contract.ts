import type { Config } from '../config/env';
import type { Tx } from '../db/data-source';
import type { StepDefinition, WorkflowDefinition } from '../definition/definition-schema';
import type { SendingWindow } from '../definition/sending-window-schema';
import type { StepConfig, StepType } from '../definition/step-types';
import type { Logger } from '../lib/logger';
import type { RunRow } from './run-store';

/**
 * What the engine hands a step and what it expects back. The engine knows step types only through
 * this contract: executors (src/actions/) and what they need (messaging, the egress guard) are
 * injected by the worker role as EngineResources (engine-resources.ts).
 */

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

/** One attempt of one step, as the step runner gives it to the step's executor. */
export interface StepContext<Config> {
  /** The step's own config, parsed by its type's schema; string fields are still templates. */
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
  log: Logger;
  /**
   * A step that wrote the run's contact reports the row as it left it (the contacts service's
   * Contact, e.g. from the write's `RETURNING`), once its write has committed: the steps after it in
   * the same job see it without reading it again. Absent outside the step runner.
   */
  contactChanged?(contact: Record<string, unknown>): void;
  /**
   * The step's record can make a write of the run's contact in its own statement: an executor may
   * return it as `contactWrite` of a completed outcome instead of writing first (a round trip and a
   * commit fewer, and the step recorded if and only if the write is made). Absent: write it yourself.
   */
  recordsContactWrites?: boolean;
}

/**
 * A write of the run's contact made by the statement that records its step (StepContext.recordsContactWrites).
 * The engine carries `write` to the statement's contact fragment (injected: EngineResources) and knows
 * nothing else of it.
 */
export interface ContactWriteInRecord {
  /** The write as JSON, as the contacts' fragment of the finish reads it (src/contacts/contact-record-writes.ts). */
  write: Record<string, unknown>;
  /** The contact as the steps after it see it, from the row the statement answered (as written, or as found). */
  contactOf(row: unknown): Record<string, unknown>;
  /**
   * The statement refused the write (the contact is gone, or the change would leave it with neither an
   * email nor a phone), so the step was not recorded: the executor's own path, which says why (throws)
   * or, should the contact have changed since, writes and answers the outcome to record instead.
   */
  otherwise(): Promise<ActionOutcome>;
}

/**
 * How a step ends. `next`: undefined → the step's `next`, else the following step in the list;
 * null → the run ends here.
 */
export type ActionOutcome =
  | { kind: 'completed'; output?: unknown; next?: string | null; contactWrite?: ContactWriteInRecord }
  | { kind: 'skipped'; reason: string; output?: unknown; next?: string | null }
  | {
      kind: 'wait';
      until: Date | null;
      event: string | null;
      calendar?: string;
      onEvent?: string;
      onTimeout?: string;
      output?: unknown;
    }
  | { kind: 'end'; output?: unknown };

export interface OutputRestoreDeps {
  tx: Tx;
  config: Pick<Config, 'PUBLIC_URL' | 'LINK_SECRET'>;
}

/** How a step type's outputs are stored in run_steps and read back. Default: as returned. */
export interface OutputCodec {
  /**
   * The output as stored, when part of it must not be (a URL carrying a token that can be derived
   * again). `restoreOutputs` rebuilds what this removed.
   */
  storedOutput?(output: unknown): unknown;
  /** Rebuilds stored outputs of this type's steps for templates and the runs API, in order. */
  restoreOutputs?(outputs: unknown[], deps: OutputRestoreDeps): Promise<unknown[]>;
}

/** Output codecs by step type (an executor map is one). */
export type OutputCodecs = Partial<Record<string, OutputCodec>>;

/** What a step type may do beyond its output, as the engine must know it. */
export interface StepEffects {
  /**
   * Steps of this type may write the run's contact. After such a step, the steps the same job runs
   * inline see the contact it reported (StepContext.contactChanged), or, when it reported none, the
   * contact read again. Default false: the contact the job loaded is carried on.
   */
  changesContact?: boolean;
}

/** Runs one step type. */
export interface StepExecutor<Config = unknown> extends OutputCodec, StepEffects {
  execute(ctx: StepContext<Config>): Promise<ActionOutcome>;
}

/** One executor for every step type of the definition. */
export type StepExecutors = { [T in StepType]: StepExecutor<StepConfig<T>> };

/** Loads one version of a workflow, parsed (src/workflows/). */
export type VersionLoader = (tx: Tx, workflowId: string, version: number) => Promise<WorkflowDefinition>;

export interface RunContextOptions {
  run: RunRow;
  workflow: { slug: string; name: string };
  /** PUBLIC_URL and LINK_SECRET build `appointment.rescheduleUrl`/`cancelUrl`; without it there is no `appointment`. */
  config?: Pick<Config, 'PUBLIC_URL' | 'LINK_SECRET'>;
}

/** Loads what a step's templates and conditions see (src/actions/run-context.ts). */
export type ContextLoader = (tx: Tx, options: RunContextOptions & ContextLoadHints) => Promise<RunContext>;

export interface ContextLoadHints {
  /**
   * The run has no recorded step yet (its step's claim was the run's first row, `seq` 0): there are
   * no earlier outputs to read. Default false.
   */
  firstStep?: boolean;
}

/** A step recorded by the job that carries the context, as the steps after it must see it. */
export interface RecordedStep {
  stepId: string;
  type: string;
  /** The output as run_steps stores it, read back from the record's `RETURNING`. */
  output: unknown;
  /** The contact as the step left it, when it reported one (StepContext.contactChanged). */
  contact?: Record<string, unknown>;
}

/**
 * The context the steps after `recorded` see, from the one the first of them saw: what loading it
 * again would give for what the run itself changed (outputs, its contact, the appointment a new
 * output points at), without reading what it did not change (src/actions/run-context.ts).
 */
export type ContextExtender = (
  tx: Tx,
  context: RunContext,
  options: RunContextOptions & { recorded: RecordedStep[] },
) => Promise<RunContext>;

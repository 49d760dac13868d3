import type { Tx } from '../db/data-source';
import type {
  ContextExtender,
  ContextLoadHints,
  RunContext,
  RunContextOptions,
  StepExecutors,
  VersionLoader,
} from './action-contract';
import type { ContextColumns, ContextRows } from './run-step-store';
import type { StepFinishWriter } from './step-finish-writer';
import type { StepOpenWriter } from './step-open-writer';

/**
 * Loads what a step's templates and conditions see (src/actions/run-context.ts): from `rows` when the
 * job's opening statement read them with its claim (openSteps), else from the database.
 */
export type RunContextLoader = (
  tx: Tx,
  options: RunContextOptions & ContextLoadHints & { rows?: ContextRows },
) => Promise<RunContext>;

/**
 * Everything the engine needs from the layers above it, built once per worker process by the worker
 * role (src/roles/engine-resources.ts) and passed to every step, timer and sweep: the engine itself
 * imports no action, workflow store or domain service.
 */
export interface EngineResources {
  /** One executor per step type, with their services (messaging, the egress guard) bound in. */
  executors: StepExecutors;
  loadVersion: VersionLoader;
  loadContext: RunContextLoader;
  /** Carries a loaded context past the steps a job runs inline (see chain-context.ts). */
  extendContext: ContextExtender;
  /** The process's group commit of step jobs' openings (see step-open-writer.ts). */
  opens: StepOpenWriter;
  /** The columns of the contact and account rows a claim reads for the run's context (openSteps'). */
  contextColumns: ContextColumns;
  /** The process's group commit of step finishes (see step-finish-writer.ts). */
  finishes: StepFinishWriter;
}

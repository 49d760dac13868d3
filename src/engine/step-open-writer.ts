import type { DataSource } from 'typeorm';
import { batchByRun, type RunBatch } from './run-batch';
import { openSteps, type ContextColumns, type OpenedStep, type StepOpen } from './run-step-store';

/**
 * The group commit of step jobs' openings: the process's concurrent step jobs hand their openings
 * (claim + run + context rows, openSteps') here, and each batch is one statement (openSteps), one
 * commit for all (run-batch.ts). A job executes its step only once its claim has committed.
 */
export type StepOpenWriter = RunBatch<StepOpen, OpenedStep | null>;

export function createStepOpenWriter(db: DataSource, columns: ContextColumns): StepOpenWriter {
  return batchByRun((opens: StepOpen[]) => openSteps(db.manager, opens, columns));
}

import type { DataSource } from 'typeorm';
import { finishSteps, type FinishedAndClaimed, type StepFinish } from './run-step-finish-store';
import { batchByRun, type RunBatch } from './run-batch';

/**
 * The group commit of step finishes: the process's concurrent step jobs hand their steps' finishes
 * here, and each batch is written in one statement (finishSteps), one commit for all (run-batch.ts).
 * A job goes on, and is acknowledged, only once its finish has committed: before that the step is
 * still `running` under the job's claim, so a crash repeats it as it would any step in flight (same
 * claim rules, same idempotency key).
 */
export type StepFinishWriter = RunBatch<StepFinish, FinishedAndClaimed>;

export function createStepFinishWriter(db: DataSource): StepFinishWriter {
  return batchByRun((finishes: StepFinish[]) => finishSteps(db.manager, finishes));
}

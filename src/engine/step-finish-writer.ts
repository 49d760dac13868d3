import type { DataSource } from 'typeorm';
import { batchByRun, type RunBatch } from './run-batch';
import { finishSteps, type ContactWritesSql, type FinishedAndClaimed, type StepFinish } from './run-step-finish-store';

/**
 * The group commit of step finishes: the process's concurrent step jobs hand their steps' finishes
 * here, and each batch is written in one statement (finishSteps), one commit for all (run-batch.ts).
 * A job goes on, and is acknowledged, only once its finish has committed: before that the step is
 * still `running` under the job's claim, so a crash repeats it as it would any step in flight (same
 * claim rules, same idempotency key). With `contactWrites`, a finish may carry a write of its run's
 * contact, made by the same statement; two finishes writing one contact never share a batch.
 */
export type StepFinishWriter = RunBatch<StepFinish, FinishedAndClaimed> & {
  /** Finishes may carry a contact write (StepContext.recordsContactWrites). */
  readonly writesContacts: boolean;
};

export function createStepFinishWriter(db: DataSource, contactWrites?: ContactWritesSql): StepFinishWriter {
  const batch = batchByRun((finishes: StepFinish[]) => finishSteps(db.manager, finishes, contactWrites), {
    otherKeysOf: (finish) => (finish.contactWrite ? [`contact ${finish.contactWrite.contactId}`] : []),
  });
  return { ...batch, writesContacts: contactWrites !== undefined };
}

import type { DataSource } from 'typeorm';
import { isDatabaseUnavailable } from '../db/unavailable';
import { GroupCommit } from '../lib/group-commit';
import { finishSteps, type FinishedAndClaimed, type StepFinish } from './run-step-finish-store';

/**
 * Most finishes one statement carries. A batch is what gathered while the previous one was in flight,
 * so it rarely nears this; the bound keeps one statement's locks and parameters small.
 */
export const MAX_FINISHES_PER_BATCH = 100;

/**
 * The group commit of step finishes (src/lib/group-commit.ts): the process's concurrent step jobs hand
 * their steps' finishes here, and each batch is written in one statement (finishSteps), one commit for
 * all. A job goes on, and is acknowledged, only once its finish has committed: before that the step
 * is still `running` under the job's claim, so a crash repeats it as it would any step in flight (same
 * claim rules, same idempotency key). Two finishes of one run never share a batch.
 */
export interface StepFinishWriter {
  /** Settles once the finish has committed, with what it did. */
  finish(finish: StepFinish): Promise<FinishedAndClaimed>;
  /** Settles once every finish handed over so far has been written. */
  drain(): Promise<void>;
}

export function createStepFinishWriter(db: DataSource): StepFinishWriter {
  const group = new GroupCommit<StepFinish, FinishedAndClaimed>({
    maxBatch: MAX_FINISHES_PER_BATCH,
    keyOf: (finish) => finish.runId,
    flush: (finishes) => writeBatch(db, finishes),
  });
  return { finish: (finish) => group.submit(finish), drain: () => group.drain() };
}

/**
 * The batch in one statement, its rows locked in run order (as every batch locks them, so that two
 * processes' batches never wait on each other in a circle). Should the statement fail for another
 * reason than PostgreSQL being away (a deadlock with some other transaction, one finish PostgreSQL
 * refuses), each finish is written alone, so that it fails only the job whose finish it is.
 */
async function writeBatch(db: DataSource, finishes: StepFinish[]): Promise<Promise<FinishedAndClaimed>[]> {
  const order = finishes.map((_, i) => i).sort((a, b) => compare(finishes[a]!.runId, finishes[b]!.runId));
  try {
    const written = await finishSteps(
      db.manager,
      order.map((i) => finishes[i]!),
    );
    const answers: Promise<FinishedAndClaimed>[] = new Array(finishes.length);
    order.forEach((i, at) => (answers[i] = Promise.resolve(written[at]!)));
    return answers;
  } catch (error) {
    if (finishes.length === 1 || isDatabaseUnavailable(error)) throw error;
    return finishes.map(async (finish) => (await finishSteps(db.manager, [finish]))[0]!);
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

import { batchByKey, type KeyedBatch } from '../db/keyed-batch';

/** A group commit of one statement over many runs (the step jobs' openings, their finishes). */
export type RunBatch<I, O> = KeyedBatch<I, O>;

/**
 * The process's concurrent step jobs hand their items to one writer, one statement and one commit for
 * all (src/db/keyed-batch.ts), keyed by run: two items of one run never share a batch, and a batch's
 * items go in run order, as every batch orders them. `otherKeysOf`: other rows an item writes (keyed too).
 */
export function batchByRun<I extends { runId: string }, O>(
  write: (items: I[]) => Promise<O[]>,
  options: { otherKeysOf?: (item: I) => readonly string[] } = {},
): RunBatch<I, O> {
  return batchByKey((item) => item.runId, write, options);
}

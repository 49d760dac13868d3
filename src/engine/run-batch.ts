import { isDatabaseUnavailable } from '../db/unavailable';
import { GroupCommit } from '../lib/group-commit';

/**
 * Most items one statement carries. A batch is what gathered while the previous one was in flight,
 * so it rarely nears this; the bound keeps one statement's locks and parameters small.
 */
export const MAX_PER_BATCH = 100;

/** A group commit of one statement over many runs (the step jobs' openings, their finishes). */
export interface RunBatch<I, O> {
  /** Settles once the item's batch has committed, with the item's own result. */
  submit(item: I): Promise<O>;
  /** Settles once every item handed over so far has been through a flush (see GroupCommit.drain). */
  drain(): Promise<void>;
}

/**
 * The process's concurrent step jobs hand their items to one writer (src/lib/group-commit.ts), which
 * writes whatever gathered with `write`, one statement and one commit for all, and answers each job
 * only after it committed. Two items of one run never share a batch (a statement may not touch a row
 * twice) and a batch's items go in run order, as every batch orders them, so that two processes'
 * batches never wait on each other in a circle. Should the statement fail for another reason than
 * PostgreSQL being away (a deadlock with some other transaction, one item PostgreSQL refuses), each
 * item is written alone, so that it fails only the job whose item it is.
 */
export function batchByRun<I extends { runId: string }, O>(write: (items: I[]) => Promise<O[]>): RunBatch<I, O> {
  const group = new GroupCommit<I, O>({
    maxBatch: MAX_PER_BATCH,
    keyOf: (item) => item.runId,
    flush: async (items) => {
      const order = items.map((_, i) => i).sort((a, b) => compare(items[a]!.runId, items[b]!.runId));
      try {
        const written = await write(order.map((i) => items[i]!));
        const answers: Promise<O>[] = new Array(items.length);
        order.forEach((i, at) => (answers[i] = Promise.resolve(written[at]!)));
        return answers;
      } catch (error) {
        if (items.length === 1 || isDatabaseUnavailable(error)) throw error;
        return items.map(async (item) => (await write([item]))[0]!);
      }
    },
  });
  return { submit: (item) => group.submit(item), drain: () => group.drain() };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

import { GroupCommit } from '../lib/group-commit';
import { isDatabaseUnavailable } from './unavailable';

/**
 * Most items one statement carries. A batch is what gathered while the previous one was in flight,
 * so it rarely nears this; the bound keeps one statement's locks and parameters small.
 */
export const MAX_PER_BATCH = 100;

/** A group commit of one multi-row statement (the step jobs' openings and finishes, their contact writes). */
export interface KeyedBatch<I, O> {
  /** Settles once the item's batch has committed, with the item's own result. */
  submit(item: I): Promise<O>;
  /** Settles once every item handed over so far has been through a flush (see GroupCommit.drain). */
  drain(): Promise<void>;
}

/**
 * The process's concurrent jobs hand their items to one writer (src/lib/group-commit.ts), which
 * writes whatever gathered with `write`, one statement and one commit for all, and answers each job
 * only after it committed. Two items of one key (the row the statement changes) never share a batch:
 * a statement may not touch a row twice. A batch's items go in key order, as every batch orders them,
 * so that two processes' batches lock their rows in one order and never wait on each other in a
 * circle. Should the statement fail for another reason than PostgreSQL being away (a deadlock with
 * some other transaction, one item PostgreSQL refuses), each item is written alone, so that it fails
 * only the job whose item it is. `otherKeysOf`: the other rows an item changes (keys that must differ
 * from every other item's too, e.g. the contact a step's finish writes); the order stays by `keyOf`.
 */
export function batchByKey<I, O>(
  keyOf: (item: I) => string,
  write: (items: I[]) => Promise<O[]>,
  options: { otherKeysOf?: (item: I) => readonly string[] } = {},
): KeyedBatch<I, O> {
  const { otherKeysOf } = options;
  const group = new GroupCommit<I, O>({
    maxBatch: MAX_PER_BATCH,
    keyOf: otherKeysOf ? (item) => [keyOf(item), ...otherKeysOf(item)] : keyOf,
    flush: async (items) => {
      const keys = items.map(keyOf);
      const order = items.map((_, i) => i).sort((a, b) => compare(keys[a]!, keys[b]!));
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

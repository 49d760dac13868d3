/**
 * Group commit: concurrent callers hand their writes to one writer, which flushes whatever has
 * gathered as one batch (one statement, one commit) and answers each caller with its own result once
 * the batch has committed. Nobody waits on a timer: a batch is flushed as soon as the writer is free,
 * so an idle process flushes every write alone and at once, and a busy one gathers the writes that
 * arrive while the previous flush is in flight (natural batching).
 *
 * A caller's promise settles only after its batch's flush settled: a write that has not committed
 * has not happened, so nothing may be acknowledged, sent or published on the strength of it.
 */
export interface GroupCommitOptions<I, O> {
  /**
   * Writes a batch and answers one promise per item, in the items' order: of its result, or of its
   * own error. The next batch may start as soon as this answers, before the items' promises settle:
   * a flush whose batch failed may retry its items alone, each answered when its own retry is done,
   * without holding up the others or the next batch. What it throws is every item's error.
   */
  flush: (items: I[]) => Promise<Promise<O>[]>;
  /** At most this many items per flush; the rest wait for the next one. */
  maxBatch: number;
  /**
   * Items with a key in common never share a batch (the later waits for the next one), for
   * statements that may not touch one row twice; an item of several rows gives one key each. Default:
   * every item its own key.
   */
  keyOf?: (item: I) => string | readonly string[];
}

interface Pending<I, O> {
  item: I;
  resolve: (result: O) => void;
  reject: (error: unknown) => void;
}

export class GroupCommit<I, O> {
  private queue: Pending<I, O>[] = [];
  private flushing: Promise<void> | null = null;
  private scheduled = false;

  constructor(private readonly options: GroupCommitOptions<I, O>) {
    if (!(options.maxBatch >= 1)) throw new RangeError('maxBatch must be at least 1');
  }

  /** Settles with the item's result once its batch has committed, or with the batch's error. */
  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.schedule();
    });
  }

  /** Items waiting for a flush (not those in one). */
  get size(): number {
    return this.queue.length;
  }

  /**
   * Settles once every item submitted so far has been through a flush (an item the flush answers
   * later, retried alone after its batch failed, may settle after this).
   */
  async drain(): Promise<void> {
    while (this.flushing || this.queue.length > 0) {
      this.schedule();
      await (this.flushing ?? new Promise<void>((resolve) => setImmediate(resolve)));
    }
  }

  /**
   * The flush starts in the next turn of the event loop, not synchronously: writes submitted in the
   * same turn (jobs whose statements came back together) share it.
   */
  private schedule(): void {
    if (this.flushing || this.scheduled || this.queue.length === 0) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      if (this.flushing) return;
      this.flushing = this.flushNext().finally(() => {
        this.flushing = null;
        this.schedule();
      });
    });
  }

  private async flushNext(): Promise<void> {
    const batch = this.takeBatch();
    let answers: Promise<O>[];
    try {
      answers = await this.options.flush(batch.map((pending) => pending.item));
      if (answers.length !== batch.length) throw new Error(`flush answered ${answers.length} of ${batch.length} items`);
    } catch (error) {
      for (const pending of batch) pending.reject(error);
      return;
    }
    batch.forEach((pending, i) => void answers[i]!.then(pending.resolve, pending.reject));
  }

  /** The oldest items, at most maxBatch, no two with one key; the others keep their place. */
  private takeBatch(): Pending<I, O>[] {
    const { keyOf, maxBatch } = this.options;
    if (!keyOf) return this.queue.splice(0, maxBatch);
    const batch: Pending<I, O>[] = [];
    const rest: Pending<I, O>[] = [];
    const keys = new Set<string>();
    for (const pending of this.queue) {
      const key = keyOf(pending.item);
      const itemKeys = typeof key === 'string' ? [key] : key;
      if (batch.length < maxBatch && !itemKeys.some((k) => keys.has(k))) {
        for (const k of itemKeys) keys.add(k);
        batch.push(pending);
      } else {
        rest.push(pending);
      }
    }
    this.queue = rest;
    return batch;
  }
}

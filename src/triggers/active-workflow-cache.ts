/**
 * A process's memory of the active workflows of each (account, trigger type), so that an event batch
 * can enrol without first asking for them. Nothing here is trusted: the enrolment statement that
 * uses a remembered list also checks, in its own snapshot, that the table still has exactly those
 * workflows at those versions for every key of the batch (`fingerprint`), and writes nothing
 * otherwise; the batch then asks again and remembers the answer (src/triggers/event-batch.ts). A
 * workflow activated, edited or paused is therefore seen by the next batch, as it was without the
 * memory. One memory per data source (a test process has several), at most MAX_KEYS keys.
 */
import type { Db } from '../db/data-source';
import type { ActiveWorkflowSet } from '../workflows/workflow-repository';

export const MAX_KEYS = 10_000;

export class ActiveWorkflowCache {
  private readonly sets = new Map<string, ActiveWorkflowSet>();

  /** The remembered set of every key, or undefined when one of them is not remembered. */
  get(keys: readonly string[]): ActiveWorkflowSet[] | undefined {
    const sets: ActiveWorkflowSet[] = [];
    for (const key of keys) {
      const set = this.sets.get(key);
      if (!set) return undefined;
      sets.push(set);
    }
    return sets;
  }

  set(key: string, set: ActiveWorkflowSet): void {
    this.sets.delete(key);
    if (this.sets.size >= MAX_KEYS) this.sets.delete(this.sets.keys().next().value as string);
    this.sets.set(key, set);
  }

  get size(): number {
    return this.sets.size;
  }
}

const caches = new WeakMap<Db, ActiveWorkflowCache>();

/** The memory of the process for this data source. */
export function activeWorkflowCacheOf(db: Db): ActiveWorkflowCache {
  let cache = caches.get(db);
  if (!cache) {
    cache = new ActiveWorkflowCache();
    caches.set(db, cache);
  }
  return cache;
}

/**
 * What the table must still say for the sets to hold, in the form the enrolment statement computes
 * it (enrolment-store.ts, `fresh`): `<key index>:<workflow id>:<version>` for every workflow seen,
 * by key index, then by id (uuid order, which is the order of their lower-case text), comma-joined.
 */
export function fingerprintOf(sets: readonly ActiveWorkflowSet[]): string {
  return sets
    .flatMap((set, n) =>
      [...set.seen].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).map((w) => `${n}:${w.id}:${w.version}`),
    )
    .join(',');
}

import type { Db } from '../db/data-source';
import type { QueueName } from '../queue/job-catalog';
import type { Queues } from '../queue/queues';
import { deletePublishedEvents, eventTimeFrom } from './outbox-store';

/** Events deleted per statement. */
export const OUTBOX_PRUNE_BATCH = 1000;

/**
 * The queues whose jobs read their event by id when they run (`event.<id>`, `notify.<id>`); a
 * campaign's events are on the campaign lane's queue (src/queue/run-lanes.ts).
 */
const QUEUES_READING_EVENTS: QueueName[] = ['events', 'bookings', 'campaign-runs'];
/**
 * `event.<id>` and `notify.<id>` read their event by id. A batch (`events.<first>.<last>`) carries its
 * events, but if it fails it hands each to an `event.process` job that reads it by id: a queued
 * batch keeps its events too, from its first on. (A one-event batch has the id `event.<id>`.)
 */
const EVENT_JOB_ID = /^(?:event|notify)\.(\d+)$|^(?:events|notify)\.(\d+)\.\d+$/;
/** Jobs looked at from each end of a wait list: the oldest (FIFO) and any added at the head (LIFO). */
const WAIT_LIST_ENDS = 1000;
/**
 * An event published by a relay whose transaction started this much before another's can carry a
 * higher id (its insert committed later): the floor keeps this much more, so such an event, still
 * queued, is kept too.
 */
const FLOOR_SLACK_MS = 60 * 60_000;

/**
 * The id of the oldest event a queued job will still read (waiting, delayed for a retry or
 * a rate limit, active), or null when none is queued. Ids of waiting jobs are read from both ends of
 * their lists only: the middle of a list is younger than its FIFO end.
 */
export async function oldestQueuedEventId(queues: Queues): Promise<bigint | null> {
  let oldest: bigint | null = null;
  for (const name of QUEUES_READING_EVENTS) {
    const queue = queues.queue(name);
    const [oldestWaiting, newestWaiting, others] = await Promise.all([
      queue.getRanges(['wait'], 0, WAIT_LIST_ENDS - 1, true),
      queue.getRanges(['wait'], 0, WAIT_LIST_ENDS - 1, false),
      queue.getRanges(['active', 'delayed', 'prioritized', 'waiting-children'], 0, -1, true),
    ]);
    for (const jobId of [...oldestWaiting, ...newestWaiting, ...others]) {
      const match = EVENT_JOB_ID.exec(jobId);
      if (!match) continue;
      const id = BigInt((match[1] ?? match[2])!);
      if (oldest === null || id < oldest) oldest = id;
    }
  }
  return oldest;
}

/**
 * Where pruning published events must stop: `before`, or earlier when a queued job will still read
 * an event published before it (a backlog, a retry, a rate-limited email): an event is deleted only
 * once nothing queued can read it. Reads Redis; throws when it cannot (then nothing is pruned).
 */
export async function outboxPruneCutoff(db: Db, queues: Queues, before: Date): Promise<Date> {
  const oldest = await oldestQueuedEventId(queues);
  if (oldest === null) return before;
  const at = await eventTimeFrom(db.manager, oldest.toString());
  if (at === null) return before;
  const floor = new Date(at.getTime() - FLOOR_SLACK_MS);
  return floor < before ? floor : before;
}

/** Deletes one batch of events published before `cutoff` (see outboxPruneCutoff); returns how many. */
export function pruneOutboxBatch(db: Db, cutoff: Date): Promise<number> {
  return deletePublishedEvents(db.manager, { before: cutoff, limit: OUTBOX_PRUNE_BATCH });
}

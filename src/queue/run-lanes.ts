import { jobCatalog, type JobName, type QueueName } from './job-catalog';

/**
 * A lane: which queues work goes to. `interactive` is one contact's work (an event, a booking, a
 * manual or test run, and the runs they start); `campaign` is what a campaign or a bulk action does
 * by the thousand: its runs' steps and timers, and the events those steps cause (a tag the campaign
 * adds, and what that tag triggers). All of a campaign's work shares one queue, `campaign-runs`, and
 * one worker of its own concurrency (CAMPAIGN_CONCURRENCY), so one contact's run never waits behind
 * a campaign's backlog in a list, nor for a slot a campaign holds.
 *
 * A run's lane is decided when the run is created and stored on it (runs.lane), an event's when it is
 * appended (outbox_events.lane): every enqueue for the run (the next step, a retry, a timer, a
 * resume, the sweeper, a manual retry) picks the same queue, so a job id exists on one queue only
 * and BullMQ's id check keeps deduplicating it.
 */
export const RUN_LANES = ['interactive', 'campaign'] as const;
export type RunLane = (typeof RUN_LANES)[number];

/** The campaign lane's queue: the catalog's `campaignQueue` of every job that follows a lane. */
export const CAMPAIGN_QUEUE = 'campaign-runs' satisfies QueueName;

/** The queue a job goes to on a lane: its `campaignQueue` on the campaign lane when it has one, else its own. */
export function queueOf(name: JobName, lane: RunLane = 'interactive'): QueueName {
  const entry = jobCatalog[name];
  return lane === 'campaign' && 'campaignQueue' in entry ? entry.campaignQueue : entry.queue;
}

/** Every queue a job may be on (its own, and its lane queue): where to look for it. */
export function queuesOf(name: JobName): QueueName[] {
  const entry = jobCatalog[name];
  return 'campaignQueue' in entry ? [entry.queue, entry.campaignQueue] : [entry.queue];
}

/** Whether a worker of `queue` takes jobs named `name`. */
export function queueTakes(queue: QueueName, name: JobName): boolean {
  return queuesOf(name).includes(queue);
}

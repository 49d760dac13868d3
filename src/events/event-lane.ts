import { AsyncLocalStorage } from 'node:async_hooks';
import type { RunLane } from '../queue/run-lanes';

const current = new AsyncLocalStorage<RunLane>();

/**
 * Runs `work` on a lane: every event it appends to the outbox (a tag an action adds, a contact an
 * import creates) is that lane's event, relayed to the lane's queue, and the runs it triggers are on
 * that lane too (src/queue/run-lanes.ts). The worker sets it around each job it takes from the
 * campaign lane and around bulk imports; it travels with the job's async calls, so the actions and
 * services in between need not pass it along.
 */
export function onLane<T>(lane: RunLane, work: () => Promise<T>): Promise<T> {
  return current.run(lane, work);
}

/** The lane of the work at hand: interactive unless inside onLane. */
export function currentLane(): RunLane {
  return current.getStore() ?? 'interactive';
}

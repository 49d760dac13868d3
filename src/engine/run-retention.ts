import type { Db } from '../db/data-source';
import { deleteFinishedRuns } from './run-store';

/**
 * Runs deleted per statement. Each takes its steps and messages with it (a few rows each), so a
 * statement stays around a thousand rows: a short transaction holding few locks.
 */
export const RUN_PRUNE_BATCH = 200;

/**
 * Deletes one batch of runs that finished before `before`, with their steps and messages; returns
 * how many runs. A live run (running, waiting) is never selected, however old: only a finish time
 * makes a run prunable, and a run being retried is skipped (see deleteFinishedRuns).
 */
export function pruneFinishedRunsBatch(db: Db, before: Date): Promise<number> {
  return deleteFinishedRuns(db.manager, { before, limit: RUN_PRUNE_BATCH });
}

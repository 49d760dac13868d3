import type { Container } from '../container';
import { refreshPlannerStatistics, STATISTICS_EVERY_MS } from '../db/planner-statistics';
import type { Queues } from '../queue/queues';

/**
 * The `tables.analyze` job: the planner statistics of the tables that changed much since their last
 * ANALYZE, refreshed (src/db/planner-statistics.ts). One log line when it did something.
 */
export async function refreshStatistics(c: Container): Promise<void> {
  const done = await refreshPlannerStatistics(c.db.manager);
  if (done.length > 0)
    c.logger.info(
      { tables: done.map(({ name, action, changed, dead }) => ({ name, action, changed, dead })) },
      'planner statistics refreshed',
    );
}

/** Registers the repeating `tables.analyze` job (idempotent: every worker process may call it at start). */
export async function scheduleStatisticsRefresh(queues: Queues): Promise<void> {
  await queues
    .queue('maintenance')
    .upsertJobScheduler(
      'tables.analyze',
      { every: STATISTICS_EVERY_MS },
      { name: 'tables.analyze', data: {}, opts: { attempts: 1 } },
    );
}

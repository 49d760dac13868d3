import type { Container } from '../container';
import { refreshPlannerStatistics } from '../db/planner-statistics';

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

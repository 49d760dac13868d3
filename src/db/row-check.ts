/**
 * A condition checked on the rows a statement found by their keys, never used to choose how to find
 * them: `CASE WHEN <condition> THEN true ELSE false END`, which the planner neither turns into an
 * index condition nor uses to prove a partial index's predicate.
 *
 * Why: `runs`, `one_time_links` have partial indexes of their live rows (`WHERE status = 'running'`,
 * `WHERE status = 'active'`) for the sweeper and the expiry job. A statement that finds a row by its
 * key and also asks `status = 'running'` lets the planner read that partial index instead, and with
 * statistics taken before a burst (a campaign's runs, a batch of minted links; autovacuum re-analyzes
 * a large table only after 10 % of it changed) it believes the index nearly empty and prefers it to
 * the key: seen reading 50,000 running runs per step opening and 15,000 active links per booking
 * (query-plans.test.ts, spend-plan.test.ts). Same result, same row locks and the same re-check of a
 * row's newer version after a concurrent update (EvalPlanQual re-evaluates the whole WHERE).
 */
export function checkedOnRow(condition: string): string {
  return `CASE WHEN ${condition} THEN true ELSE false END`;
}

import { Pool, type PoolConfig } from 'pg';

/** Connections of a process's generic-plan pool at most (beside its pool of `DataSourceOptions.poolSize`). */
export const GENERIC_PLAN_POOL_SIZE = 5;

const GENERIC_PLANS = '-c plan_cache_mode=force_generic_plan';

interface PgPoolState {
  options: PoolConfig;
  ending: boolean;
  ended: boolean;
}

const siblings = new WeakMap<Pool, Pool>();

/**
 * The pool the prepared statements of sql.ts run on outside transactions: a few connections of the
 * process's own beside `pool` (TypeORM's), with the same server and credentials, started with
 * `plan_cache_mode = force_generic_plan`. PostgreSQL would otherwise plan such a statement afresh on
 * every execution: a custom plan knows its arrays hold one or a few elements, so its estimate always
 * beats the generic plan's (an `unnest` of a parameter is costed at 100 rows) and the plan cache never
 * switches, which costs 0.2–1.1 ms of planning per execution of a batch statement. Every prepared
 * statement's generic plan is checked index-backed on full tables (query-plans.test.ts), and only
 * prepared statements run here: the connections of `pool`, which also run unnamed statements (the
 * console's, TypeORM's) that a generic plan could serve worse, keep the server's default.
 *
 * Ended with `pool` (its `end` is wrapped once), so a process or a test that destroys its data source
 * leaves no connection behind. A pool already ending is answered with itself: its statements fail as
 * they did.
 */
export function genericPlanPoolOf(pool: Pool): Pool {
  const state = pool as unknown as PgPoolState;
  if (state.ending || state.ended) return pool;
  let sibling = siblings.get(pool);
  if (!sibling) {
    const options = state.options;
    sibling = new Pool({
      ...options,
      max: Math.min(GENERIC_PLAN_POOL_SIZE, options.max ?? GENERIC_PLAN_POOL_SIZE),
      options: options.options ? `${options.options} ${GENERIC_PLANS}` : GENERIC_PLANS,
    });
    // An idle connection that dies (a server restart) is dropped; the next statement connects anew and
    // fails or succeeds as on the other pool. Unheard, the error would end the process.
    sibling.on('error', () => undefined);
    endTogether(pool, sibling);
    siblings.set(pool, sibling);
  }
  return sibling;
}

/** `pool.end` (as TypeORM calls it, with a callback, or as a promise) ends `sibling` first. */
function endTogether(pool: Pool, sibling: Pool): void {
  const end = pool.end.bind(pool) as () => Promise<void>;
  const endBoth = () =>
    sibling
      .end()
      .catch(() => undefined)
      .then(end);
  (pool as unknown as { end: (callback?: (error?: Error) => void) => Promise<void> | undefined }).end = (callback) => {
    if (!callback) return endBoth();
    endBoth().then(() => callback(), callback);
    return undefined;
  };
}

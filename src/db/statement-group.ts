import type { Pool } from 'pg';
import { GroupCommit } from '../lib/group-commit';
import type { Tx } from './data-source';
import { send, withPoolClient, type Statement } from './pg-client';
import { isDatabaseUnavailable } from './unavailable';

/** Most statements one group transaction carries; what gathered beyond waits for the next one. */
export const MAX_GROUPED_STATEMENTS = 50;

/**
 * How long a grouped statement may wait for a row lock before the group gives up and runs its
 * statements alone: a statement stuck behind someone else's transaction must not hold up the
 * statements of every other job in the process for longer than this.
 */
const GROUP_LOCK_TIMEOUT = '250ms';

interface Grouped {
  tx: Tx;
  statement: Statement;
}

type Result = Awaited<ReturnType<typeof send>>;

const groups = new WeakMap<Pool, GroupCommit<Grouped, Result>>();

/**
 * Group commit of single statements (QueryOptions.group in sql.ts): the statements that concurrent
 * callers send while one group is in flight are run in one transaction on one connection, one
 * commit for all, and each caller is answered with its own rows once that transaction committed,
 * never before. A statement alone is sent as it would be without the group. The statements of a
 * group see each other's writes as serial statements would; should any of them fail (a constraint,
 * a lock wait past GROUP_LOCK_TIMEOUT, a deadlock), the group is rolled back and each statement is
 * run alone, so that it fails only its own caller, exactly as it would have without the group.
 */
export function runGrouped(tx: Tx, pool: Pool, statement: Statement): Promise<Result> {
  let group = groups.get(pool);
  if (!group) {
    group = new GroupCommit<Grouped, Result>({
      maxBatch: MAX_GROUPED_STATEMENTS,
      flush: (items) => flushGroup(pool, items),
    });
    groups.set(pool, group);
  }
  return group.submit({ tx, statement });
}

async function flushGroup(pool: Pool, items: Grouped[]): Promise<Promise<Result>[]> {
  // Alone, it is sent as it would be without the group; the next group need not wait for it.
  if (items.length === 1) return [runAlone(pool, items[0]!)];
  try {
    const results = await withPoolClient(pool, async (client) => {
      await client.query(`BEGIN; SET LOCAL lock_timeout = '${GROUP_LOCK_TIMEOUT}'`);
      try {
        const answered: Result[] = [];
        for (const { tx, statement } of items) answered.push(await send(tx, client, statement));
        await client.query('COMMIT');
        return answered;
      } catch (error) {
        // A client that cannot even roll back is dropped with the error (withPoolClient).
        if (!isDatabaseUnavailable(error)) await client.query('ROLLBACK');
        throw error;
      }
    });
    return results.map((result) => Promise.resolve(result));
  } catch (error) {
    // PostgreSQL away: every caller's statement failed as it would have alone (its job waits it out).
    if (isDatabaseUnavailable(error)) throw error;
    // Each alone, answered when it is done: one still waiting for a lock holds up nobody else.
    return items.map((item) => runAlone(pool, item));
  }
}

function runAlone(pool: Pool, { tx, statement }: Grouped): Promise<Result> {
  return withPoolClient(pool, (client) => send(tx, client, statement));
}

import type { PoolClient } from 'pg';
import type { Tx } from './data-source';
import { poolOf, send, withPoolClient, type Statement } from './pg-client';
import { genericPlanPoolOf } from './generic-plan-pool';
import { runGrouped } from './statement-group';

export { preparedStatementTexts } from './pg-client';

export interface QueryOptions {
  /**
   * Runs the statement as a named server-side prepared statement: PostgreSQL parses and plans it once
   * per connection instead of on every call (outside a transaction, on the generic-plan pool, whose
   * connections always use the generic plan: generic-plan-pool.ts; its generic plan must be
   * index-backed, query-plans.test.ts checks). Only for a fixed SQL text (never one built with a
   * variable number of placeholders), one name per text, at most `MAX_PREPARED` names in all.
   * Default: not prepared.
   */
  prepare?: string;
  /**
   * Outside a transaction, the statement may share one with the statements other callers of this
   * process send at the same moment (group commit, see statement-group.ts): one commit for all, and
   * the caller answered only once it committed. For the hot single statements of step jobs and API
   * requests. Inside a transaction, ignored. Default false.
   */
  group?: boolean;
}

/**
 * Rows of any statement, `… RETURNING` rows of an UPDATE or DELETE included (TypeORM's postgres
 * driver answers those with `[rows, rowCount]`; pg's own result carries the rows either way).
 */
export async function queryRows<T>(tx: Tx, sql: string, params: unknown[] = [], options?: QueryOptions): Promise<T[]> {
  const result = await run(tx, { sql, params, prepare: options?.prepare }, options?.group ?? false);
  return result.rows as T[];
}

/** A statement whose rows nobody reads (an UPDATE, DELETE or INSERT without RETURNING, a lock). */
export async function execute(tx: Tx, sql: string, params: unknown[] = [], options?: QueryOptions): Promise<void> {
  await run(tx, { sql, params, prepare: options?.prepare }, options?.group ?? false);
}

/** TypeORM's query runner as far as this file reads it (its `databaseConnection` is protected). */
interface ConnectedRunner {
  isReleased: boolean;
  databaseConnection?: PoolClient;
}

/**
 * The statement on pg itself, not through `EntityManager.query`, which builds a QueryRunner per call,
 * connects and releases it through callbacks and broadcasts query hooks around it. Same connections,
 * same results, same errors: a failed statement is TypeORM's `QueryFailedError(query, parameters,
 * driverError)`, a failed connect pg's own error, as before. Inside a transaction the statement runs on
 * the transaction's own client, never on the pool.
 */
async function run(tx: Tx, statement: Statement, group: boolean): Promise<{ rows: unknown[] }> {
  const { sql, params } = statement;
  const runner = tx.queryRunner as unknown as ConnectedRunner | undefined;
  if (runner) {
    const client = runner.databaseConnection;
    // Released or not connected yet: TypeORM's own path says so (or connects) exactly as before.
    if (runner.isReleased || !client) return viaTypeorm(tx, sql, params);
    return await send(tx, client, statement);
  }
  const pool = poolOf(tx);
  if (!pool) return viaTypeorm(tx, sql, params); // "Driver not Connected", as before
  if (group) return await runGrouped(tx, pool, statement);
  // A prepared statement on a connection that always uses its generic plan (generic-plan-pool.ts).
  const target = statement.prepare ? genericPlanPoolOf(pool) : pool;
  return await withPoolClient(target, (client) => send(tx, client, statement));
}

/** TypeORM answers an UPDATE or DELETE with `[rows, rowCount]`, every other statement with its rows. */
async function viaTypeorm(tx: Tx, sql: string, params: unknown[]): Promise<{ rows: unknown[] }> {
  const result: unknown = await tx.query(sql, params);
  const isUpdateTuple =
    Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number';
  return { rows: (isUpdateTuple ? result[0] : result) as unknown[] };
}

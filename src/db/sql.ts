import type { Pool, PoolClient, QueryConfig } from 'pg';
import { QueryFailedError } from 'typeorm';
import type { Tx } from './data-source';
import { isDatabaseUnavailable } from './unavailable';

export interface QueryOptions {
  /**
   * Runs the statement as a named server-side prepared statement: PostgreSQL parses and plans it once
   * per connection instead of on every call. Only for a fixed SQL text (never one built with a
   * variable number of placeholders), one name per text, at most `MAX_PREPARED` names in all.
   * Default: not prepared.
   */
  prepare?: string;
}

/** At most this many prepared statement names per process (each connection may hold them all); more is a programmer error. */
const MAX_PREPARED = 32;
const preparedTexts = new Map<string, string>();

/** The SQL texts run as prepared statements so far in this process (query-plans.test.ts plans them generically). */
export function preparedStatementTexts(): string[] {
  return [...preparedTexts.values()];
}

/**
 * Rows of any statement, `… RETURNING` rows of an UPDATE or DELETE included (TypeORM's postgres
 * driver answers those with `[rows, rowCount]`; pg's own result carries the rows either way).
 */
export async function queryRows<T>(tx: Tx, sql: string, params: unknown[] = [], options?: QueryOptions): Promise<T[]> {
  const result = await run(tx, sql, params, options?.prepare);
  return result.rows as T[];
}

/** A statement whose rows nobody reads (an UPDATE, DELETE or INSERT without RETURNING, a lock). */
export async function execute(tx: Tx, sql: string, params: unknown[] = [], options?: QueryOptions): Promise<void> {
  await run(tx, sql, params, options?.prepare);
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
async function run(tx: Tx, sql: string, params: unknown[], prepare: string | undefined): Promise<{ rows: unknown[] }> {
  const runner = tx.queryRunner as unknown as ConnectedRunner | undefined;
  if (runner) {
    const client = runner.databaseConnection;
    // Released or not connected yet: TypeORM's own path says so (or connects) exactly as before.
    if (runner.isReleased || !client) return viaTypeorm(tx, sql, params);
    return await send(tx, client, sql, params, prepare);
  }
  const pool = (tx.connection.driver as { master?: Pool }).master;
  if (!pool) return viaTypeorm(tx, sql, params); // "Driver not Connected", as before
  const client = await pool.connect();
  // pg emits a dying connection's error on the client as well as failing the statement; while the
  // client is ours nobody else listens, and an unheard 'error' would end the process.
  client.on('error', ignore);
  let failure: Error | undefined;
  try {
    return await send(tx, client, sql, params, prepare);
  } catch (error) {
    failure = error as Error;
    throw error;
  } finally {
    client.removeListener('error', ignore);
    // A client whose server went away (57P01 reaches the statement before the socket closes) is
    // dropped now, not lent to the next statement; a failed statement keeps its healthy client.
    client.release(failure && isDatabaseUnavailable(failure) ? failure : undefined);
  }
}

/** Reports to TypeORM's logger as its query runner did (tests record statements there; off in production). */
async function send(tx: Tx, client: PoolClient, sql: string, params: unknown[], prepare: string | undefined) {
  const query = prepare ? preparedQuery(prepare, sql, params) : { text: sql, values: params };
  const logger = tx.connection.logger;
  logger.logQuery(sql, params, tx.queryRunner);
  try {
    return await client.query(query);
  } catch (error) {
    logger.logQueryError(error as Error, sql, params, tx.queryRunner);
    throw new QueryFailedError(sql, params, error as Error);
  }
}

function preparedQuery(name: string, text: string, values: unknown[]): QueryConfig {
  const known = preparedTexts.get(name);
  if (known === undefined) {
    if (preparedTexts.size >= MAX_PREPARED) throw new Error(`more than ${MAX_PREPARED} prepared statements`);
    preparedTexts.set(name, text);
  } else if (known !== text) {
    throw new Error(`prepared statement "${name}" was given another text`);
  }
  return { name, text, values };
}

/** TypeORM answers an UPDATE or DELETE with `[rows, rowCount]`, every other statement with its rows. */
async function viaTypeorm(tx: Tx, sql: string, params: unknown[]): Promise<{ rows: unknown[] }> {
  const result: unknown = await tx.query(sql, params);
  const isUpdateTuple =
    Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number';
  return { rows: (isUpdateTuple ? result[0] : result) as unknown[] };
}

function ignore(): void {}

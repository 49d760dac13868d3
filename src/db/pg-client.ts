import type { Pool, PoolClient, QueryConfig, QueryResult } from 'pg';
import { QueryFailedError } from 'typeorm';
import type { Tx } from './data-source';
import { isDatabaseUnavailable } from './unavailable';

/** At most this many prepared statement names per process (each connection may hold them all); more is a programmer error. */
const MAX_PREPARED = 32;
const preparedTexts = new Map<string, string>();

/** The SQL texts run as prepared statements so far in this process (query-plans.test.ts plans them generically). */
export function preparedStatementTexts(): string[] {
  return [...preparedTexts.values()];
}

/** A statement as sql.ts hands it to pg: its text, parameters, and prepared statement name if any. */
export interface Statement {
  sql: string;
  params: unknown[];
  prepare: string | undefined;
}

/** The pool behind the data source of `tx`; undefined while the driver is not connected. */
export function poolOf(tx: Tx): Pool | undefined {
  return (tx.connection.driver as { master?: Pool }).master;
}

/**
 * A client of the pool for `work`, released afterwards. pg emits a dying connection's error on the
 * client as well as failing the statement; while the client is ours nobody else listens, and an
 * unheard 'error' would end the process. A client whose server went away (57P01 reaches the statement
 * before the socket closes) is dropped, not lent to the next statement; a failed statement keeps its
 * healthy client.
 */
export async function withPoolClient<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  client.on('error', ignore);
  let failure: Error | undefined;
  try {
    return await work(client);
  } catch (error) {
    failure = error as Error;
    throw error;
  } finally {
    client.removeListener('error', ignore);
    client.release(failure && isDatabaseUnavailable(failure) ? failure : undefined);
  }
}

/** Reports to TypeORM's logger as its query runner did (tests record statements there; off in production). */
export async function send(tx: Tx, client: PoolClient, { sql, params, prepare }: Statement) {
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

/**
 * Several statements of no parameters in one round trip (the simple query protocol): each is reported
 * to TypeORM's logger as `send` reports one, and the answer is each statement's result, in order.
 * PostgreSQL stops at the first that fails; inside a transaction the caller must then roll back.
 */
export async function sendScript(tx: Tx, client: PoolClient, statements: string[]): Promise<QueryResult[]> {
  const logger = tx.connection.logger;
  for (const sql of statements) logger.logQuery(sql, [], tx.queryRunner);
  const script = statements.join(';\n');
  try {
    const results = (await client.query(script)) as unknown as QueryResult | QueryResult[];
    return Array.isArray(results) ? results : [results];
  } catch (error) {
    logger.logQueryError(error as Error, script, [], tx.queryRunner);
    throw new QueryFailedError(script, [], error as Error);
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

function ignore(): void {}

import type { Tx } from './data-source';

/**
 * Rows of any statement. TypeORM's postgres driver answers UPDATE and DELETE with `[rows, rowCount]`
 * but every other statement with plain rows; this evens that out, so `… RETURNING` can be trusted.
 */
export async function queryRows<T>(tx: Tx, sql: string, params: unknown[] = []): Promise<T[]> {
  const result: unknown = await tx.query(sql, params);
  const isUpdateTuple =
    Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number';
  return (isUpdateTuple ? result[0] : result) as T[];
}

/** A statement whose rows nobody reads (an UPDATE, DELETE or INSERT without RETURNING, a lock). */
export async function execute(tx: Tx, sql: string, params: unknown[] = []): Promise<void> {
  await tx.query(sql, params);
}

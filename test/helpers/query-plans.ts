import type { DataSource } from 'typeorm';

export interface RecordedStatement {
  sql: string;
  params: unknown[];
}

/**
 * Records every statement the data source runs from now on (instrumentation, nothing is changed:
 * TypeORM's query runner reports each query to its logger before sending it). `stop()` detaches.
 */
export function recordStatements(db: DataSource): { statements: RecordedStatement[]; stop: () => void } {
  const statements: RecordedStatement[] = [];
  const logger = db.logger;
  const original = logger.logQuery.bind(logger);
  logger.logQuery = (query, parameters, runner) => {
    statements.push({ sql: query, params: Array.isArray(parameters) ? parameters : [] });
    return original(query, parameters, runner);
  };
  return { statements, stop: () => (logger.logQuery = original) };
}

/** The statements worth planning: data statements naming one of `tables`, each distinct (sql, params) once. */
export function statementsTouching(statements: RecordedStatement[], tables: readonly string[]): RecordedStatement[] {
  const names = new RegExp(`\\b(${tables.join('|')})\\b`);
  const seen = new Set<string>();
  return statements.filter((statement) => {
    if (!/^\s*(SELECT|INSERT|UPDATE|DELETE|WITH)\b/i.test(statement.sql) || !names.test(statement.sql)) return false;
    const key = `${statement.sql}\u0000${JSON.stringify(statement.params)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  Plans?: PlanNode[];
}

/** The tables among `tables` that a plan reads with a (possibly parallel) sequential scan. */
export function seqScannedTables(plan: PlanNode, tables: readonly string[]): string[] {
  const own =
    plan['Node Type'] === 'Seq Scan' && plan['Relation Name'] && tables.includes(plan['Relation Name'])
      ? [plan['Relation Name']]
      : [];
  return [...own, ...(plan.Plans ?? []).flatMap((child) => seqScannedTables(child, tables))];
}

/** The plan PostgreSQL picks for a statement with these parameters (EXPLAIN plans it; nothing is executed). */
export async function planOf(db: DataSource, statement: RecordedStatement): Promise<PlanNode> {
  const rows: { 'QUERY PLAN': { Plan: PlanNode }[] }[] = await db.query(
    `EXPLAIN (FORMAT JSON) ${statement.sql}`,
    statement.params,
  );
  return rows[0]!['QUERY PLAN'][0]!.Plan;
}

/**
 * The plan of a prepared statement once PostgreSQL uses its generic plan (it may after five runs on a
 * connection): planned with `plan_cache_mode = force_generic_plan`, on a connection of its own, with
 * the statement's parameters bound only at EXECUTE.
 */
export async function genericPlanOf(db: DataSource, statement: RecordedStatement): Promise<PlanNode> {
  const runner = db.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SET plan_cache_mode = force_generic_plan');
    await runner.query(`PREPARE lf_generic_plan AS ${statement.sql}`);
    // EXPLAIN takes no bound parameters: the values go in as literals, as pg would send them.
    const literals = statement.params.map(toLiteral).join(', ');
    const rows: { 'QUERY PLAN': { Plan: PlanNode }[] }[] = await runner.query(
      `EXPLAIN (FORMAT JSON) EXECUTE lf_generic_plan${literals ? `(${literals})` : ''}`,
    );
    return rows[0]!['QUERY PLAN'][0]!.Plan;
  } finally {
    await runner.query('DEALLOCATE ALL').catch(() => undefined);
    await runner.release();
  }
}

/** A parameter as an SQL literal of unknown type (PostgreSQL casts it to the parameter's type), as pg would send it. */
function toLiteral(value: unknown): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const prepared = (require('pg/lib/utils') as { prepareValue: (value: unknown) => unknown }).prepareValue(value);
  if (prepared === null || prepared === undefined) return 'NULL';
  return `'${String(prepared).replace(/'/g, "''")}'`;
}

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

export interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

/** A plan's nodes, the plan itself first, then each child's in order. */
export function planNodesOf<T extends PlanNode>(plan: T): T[] {
  return [plan, ...((plan.Plans ?? []) as T[]).flatMap((child) => planNodesOf(child))];
}

/** The tables among `tables` that a plan reads with a (possibly parallel) sequential scan. */
export function seqScannedTables(plan: PlanNode, tables: readonly string[]): string[] {
  return planNodesOf(plan).flatMap((node) =>
    node['Node Type'] === 'Seq Scan' && node['Relation Name'] && tables.includes(node['Relation Name'])
      ? [node['Relation Name']]
      : [],
  );
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

interface ExecutedPlanNode extends PlanNode {
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  Plans?: ExecutedPlanNode[];
}

/**
 * The plan of a statement as it ran (`EXPLAIN ANALYZE`), with its effects rolled back: inside a
 * transaction that is never committed. `generic`: as a prepared statement's generic plan (see
 * genericPlanOf), else planned with its parameters.
 */
export async function executedPlanOf(
  db: DataSource,
  statement: RecordedStatement,
  options: { generic: boolean },
): Promise<ExecutedPlanNode> {
  const runner = db.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('BEGIN');
    let rows: { 'QUERY PLAN': { Plan: ExecutedPlanNode }[] }[];
    if (options.generic) {
      await runner.query('SET LOCAL plan_cache_mode = force_generic_plan');
      await runner.query(`PREPARE lf_executed_plan AS ${statement.sql}`);
      const literals = statement.params.map(toLiteral).join(', ');
      rows = await runner.query(
        `EXPLAIN (ANALYZE, FORMAT JSON) EXECUTE lf_executed_plan${literals ? `(${literals})` : ''}`,
      );
    } else {
      rows = await runner.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${statement.sql}`, statement.params);
    }
    return rows[0]!['QUERY PLAN'][0]!.Plan;
  } finally {
    await runner.query('ROLLBACK').catch(() => undefined);
    await runner.query('DEALLOCATE ALL').catch(() => undefined);
    await runner.release();
  }
}

/**
 * The scans of a plan that ran (executedPlanOf) reading `tables` (or an index of one, given by
 * `indexesOf`), each with the rows it returned over all its loops.
 */
export function scansOf(
  plan: ExecutedPlanNode,
  tables: readonly string[],
  indexesOf: (index: string) => string | undefined,
): { node: string; table: string; rows: number }[] {
  return planNodesOf(plan).flatMap((node) => {
    const table = node['Relation Name'] ?? (node['Index Name'] ? indexesOf(node['Index Name']) : undefined);
    if (!table || !tables.includes(table) || node['Node Type'] === 'ModifyTable') return [];
    const index = node['Index Name'] ? ` using ${node['Index Name']}` : '';
    return [
      { node: `${node['Node Type']}${index}`, table, rows: (node['Actual Rows'] ?? 0) * (node['Actual Loops'] ?? 1) },
    ];
  });
}

import { Client } from 'pg';
import { QueryFailedError, type DataSource } from 'typeorm';
import { createDataSource, type Tx } from '../../../src/db/data-source';
import { execute, queryRows } from '../../../src/db/sql';
import { loggedError } from '../../../src/lib/log-errors';
import { createTestDatabase } from '../../helpers/test-env';

/** What TypeORM's `EntityManager.query` answered before the helpers went to pg directly. */
async function typeormRows(tx: Tx, sql: string, params: unknown[] = []): Promise<unknown[]> {
  const result: unknown = await tx.query(sql, params);
  const isUpdateTuple =
    Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number';
  return (isUpdateTuple ? result[0] : result) as unknown[];
}

async function caught(promise: Promise<unknown>): Promise<Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    return error as Record<string, unknown>;
  }
  throw new Error('expected the statement to fail');
}

/** The parts of a failed statement's error that code and logs read. */
const shapeOf = (error: Record<string, unknown>) => ({
  class: (error as object).constructor.name,
  message: error.message,
  code: error.code,
  constraint: error.constraint,
  table: error.table,
  query: error.query,
  parameters: error.parameters,
  driverCode: (error.driverError as { code?: string }).code,
  logged: { ...(loggedError(error) as object), stack: undefined },
});

describe('queryRows and execute', () => {
  let drop: () => Promise<void>;
  let url: string;
  let db: DataSource;

  beforeAll(async () => {
    ({ url, drop } = await createTestDatabase());
    db = createDataSource({ url, poolSize: 3 });
    await db.initialize();
    await db.query(
      'CREATE TABLE notes (id int PRIMARY KEY, body text NOT NULL, tags text[] NOT NULL, data jsonb, at timestamptz)',
    );
  });
  afterAll(async () => {
    await db.destroy();
    await drop();
  });
  beforeEach(() => db.query('TRUNCATE notes'));

  const statements: [string, string, unknown[]][] = [
    [
      'an INSERT … RETURNING',
      "INSERT INTO notes VALUES ($1, $2, $3, $4, '2024-05-01T10:00:00Z') RETURNING id, body, tags, data, at",
      [2, 'two', ['a', 'b'], { k: [1] }],
    ],
    ['a SELECT', 'SELECT id, body, tags, data, at, 1::bigint AS big FROM notes WHERE id = $1', [1]],
    [
      "an UPDATE … RETURNING (TypeORM's [rows, count])",
      'UPDATE notes SET body = $2 WHERE id = $1 RETURNING id, body',
      [1, 'x'],
    ],
    ['an UPDATE that matches nothing', 'UPDATE notes SET body = $2 WHERE id = $1 RETURNING id', [99, 'x']],
    ['a DELETE … RETURNING', 'DELETE FROM notes WHERE id = $1 RETURNING id, tags', [1]],
    ['a statement without parameters', 'SELECT count(*) AS n FROM notes', []],
  ];

  it.each(statements)('answers %s with the rows TypeORM gave', async (_, sql, params) => {
    const seed = () =>
      db.query("TRUNCATE notes; INSERT INTO notes VALUES (1, 'one', '{a,b}', '{\"k\":[1]}', '2024-05-01T10:00:00Z')");
    await seed();
    const before = await typeormRows(db.manager, sql, params);
    expect(before).toEqual(expect.any(Array));
    await seed();
    expect(await queryRows(db.manager, sql, params)).toEqual(before);
    await seed();
    expect(await db.transaction((tx) => queryRows(tx, sql, params))).toEqual(before);
  });

  it("fails a unique violation with TypeORM's QueryFailedError, field for field", async () => {
    const insert = 'INSERT INTO notes (id, body, tags) VALUES ($1, $2, $3)';
    await execute(db.manager, insert, [1, 'one', []]);
    const typeorm = await caught(db.manager.query(insert, [1, 'ada@example.com', []]));
    const root = await caught(execute(db.manager, insert, [1, 'ada@example.com', []]));
    const inTx = await caught(db.transaction((tx) => queryRows(tx, insert, [1, 'ada@example.com', []])));

    expect(root).toBeInstanceOf(QueryFailedError);
    expect(shapeOf(root)).toEqual(shapeOf(typeorm));
    expect(shapeOf(inTx)).toEqual(shapeOf(typeorm));
    expect(shapeOf(root)).toMatchObject({ code: '23505', driverCode: '23505', constraint: 'notes_pkey' });
  });

  it('runs a statement of a transaction on its connection: it sees its own writes, a rollback undoes them', async () => {
    const outside = new Client({ connectionString: url });
    await outside.connect();
    try {
      await expect(
        db.transaction(async (tx) => {
          const { pid } = (await queryRows<{ pid: number }>(tx, 'SELECT pg_backend_pid() AS pid'))[0]!;
          const { pid: runnerPid } = ((await tx.query('SELECT pg_backend_pid() AS pid')) as { pid: number }[])[0]!;
          expect(pid).toBe(runnerPid);

          await execute(tx, "INSERT INTO notes (id, body, tags) VALUES (1, 'draft', '{}')");
          expect(await queryRows(tx, 'SELECT body FROM notes')).toEqual([{ body: 'draft' }]);
          expect((await outside.query('SELECT body FROM notes')).rows).toEqual([]);
          throw new Error('roll back');
        }),
      ).rejects.toThrow('roll back');
      expect(await queryRows(db.manager, 'SELECT body FROM notes')).toEqual([]);
    } finally {
      await outside.end();
    }
  });

  it("answers on a query runner's manager that has not connected yet, and then on its connection", async () => {
    const runner = db.createQueryRunner();
    try {
      await execute(runner.manager, "INSERT INTO notes (id, body, tags) VALUES (1, 'one', '{}')");
      const sql = 'UPDATE notes SET body = $2 WHERE id = $1 RETURNING id, body, pg_backend_pid() AS pid';
      const [first] = await queryRows<{ pid: number }>(runner.manager, sql, [1, 'two']);
      const [second] = await queryRows<{ pid: number }>(runner.manager, sql, [1, 'three']);
      expect(second).toEqual({ id: 1, body: 'three', pid: first!.pid });
    } finally {
      await runner.release();
    }
  });

  it("reports each statement to TypeORM's logger, as its query runner did (statement recorders read it there)", async () => {
    const seen: string[] = [];
    const original = db.logger.logQuery.bind(db.logger);
    db.logger.logQuery = (query, parameters, runner) => {
      seen.push(query);
      return original(query, parameters, runner);
    };
    try {
      await queryRows(db.manager, 'SELECT 1 AS one');
      await db.transaction((tx) => execute(tx, 'SELECT 2 AS two'));
    } finally {
      db.logger.logQuery = original;
    }
    expect(seen).toEqual(['SELECT 1 AS one', 'START TRANSACTION', 'SELECT 2 AS two', 'COMMIT']);
  });

  it('hands every pooled connection back, after a failed statement too', async () => {
    const pool = (db.driver as unknown as { master: { totalCount: number; idleCount: number } }).master;
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        i % 4 === 0
          ? queryRows(db.manager, 'SELECT 1 / $1::int AS x', [0]).catch(() => undefined)
          : queryRows(db.manager, 'SELECT pg_sleep(0.005), $1::int AS i', [i]),
      ),
    );
    expect(pool.totalCount).toBeLessThanOrEqual(3);
    expect(pool.idleCount).toBe(pool.totalCount);
  });

  describe('with a prepared statement', () => {
    it('answers as the plain statement does, and PostgreSQL keeps it prepared on the connection', async () => {
      const sql = 'INSERT INTO notes (id, body, tags) VALUES ($1, $2, $3) RETURNING id, body, tags';
      const plain = await queryRows(db.manager, sql, [1, 'one', ['a']]);
      await db.query('TRUNCATE notes');
      expect(await queryRows(db.manager, sql, [1, 'one', ['a']], { prepare: 'test-insert-note' })).toEqual(plain);

      const prepared = await db.transaction(async (tx) => {
        await queryRows(tx, sql, [2, 'two', []], { prepare: 'test-insert-note' });
        return queryRows(tx, "SELECT name FROM pg_prepared_statements WHERE name = 'test-insert-note'");
      });
      expect(prepared).toEqual([{ name: 'test-insert-note' }]);
    });

    it('refuses a second text under a name already given', async () => {
      await queryRows(db.manager, 'SELECT $1::int AS a', [1], { prepare: 'test-one-text' });
      await expect(queryRows(db.manager, 'SELECT $1::int AS b', [1], { prepare: 'test-one-text' })).rejects.toThrow(
        /another text/,
      );
    });
  });
});

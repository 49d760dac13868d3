import { Client } from 'pg';
import { QueryFailedError, type DataSource } from 'typeorm';
import { createDataSource } from '../../../src/db/data-source';
import { execute, queryRows } from '../../../src/db/sql';
import { createTestDatabase } from '../../helpers/test-env';

/**
 * Group commit of single statements (QueryOptions.group, src/db/statement-group.ts): what callers send
 * at one moment shares one transaction, each is answered only after it committed, and each fails, if
 * it fails, alone.
 */
describe('grouped statements', () => {
  let drop: () => Promise<void>;
  let db: DataSource;
  let outside: Client;

  beforeAll(async () => {
    let url: string;
    ({ url, drop } = await createTestDatabase());
    db = createDataSource({ url, poolSize: 5 });
    await db.initialize();
    await db.query('CREATE TABLE notes (id int PRIMARY KEY, body text NOT NULL)');
    outside = new Client({ connectionString: url });
    await outside.connect();
  });
  afterAll(async () => {
    await outside.end();
    await db.destroy();
    await drop();
  });
  beforeEach(() => db.query('TRUNCATE notes'));

  const insert = (id: number, body = `note ${id}`) =>
    queryRows<{ id: number }>(db.manager, 'INSERT INTO notes VALUES ($1, $2) RETURNING id', [id, body], {
      group: true,
    });
  const visible = async () =>
    (await outside.query('SELECT id FROM notes ORDER BY id')).rows.map((row: { id: number }) => row.id);

  it('runs the statements sent at one moment in one transaction, each answered with its own rows', async () => {
    const answers = await Promise.all(
      [1, 2, 3, 4].map((id) =>
        queryRows<{ id: number; xid: string }>(
          db.manager,
          'INSERT INTO notes VALUES ($1, $2) RETURNING id, txid_current()::text AS xid',
          [id, 'x'],
          { group: true },
        ),
      ),
    );
    expect(answers.map((rows) => rows[0]!.id)).toEqual([1, 2, 3, 4]);
    expect(new Set(answers.map((rows) => rows[0]!.xid)).size).toBe(1);
    expect(await visible()).toEqual([1, 2, 3, 4]);
  });

  it('answers no caller before the group committed', async () => {
    let inserted = false;
    const insertion = insert(1).then(() => (inserted = true));
    const sleeping = queryRows(db.manager, 'SELECT pg_sleep(0.4)', [], { group: true });
    // While the group's second statement runs, the first one's row is not committed and its caller waits.
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(await visible()).toEqual([]);
    expect(inserted).toBe(false);
    await insertion;
    expect(await visible()).toEqual([1]);
    await sleeping;
  });

  it('fails only the statement that fails: the others of its group are written alone', async () => {
    await insert(2);
    const outcomes = await Promise.allSettled([insert(1), insert(2, 'duplicate'), insert(3)]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const error = (outcomes[1] as PromiseRejectedResult).reason as QueryFailedError;
    expect(error).toBeInstanceOf(QueryFailedError);
    expect((error.driverError as Error & { code?: string }).code).toBe('23505');
    expect(await visible()).toEqual([1, 2, 3]);
  });

  it("does not hold the group's other statements behind a row lock someone else holds", async () => {
    await insert(1);
    await outside.query('BEGIN');
    await outside.query('SELECT 1 FROM notes WHERE id = 1 FOR UPDATE');
    let updated = false;
    const update = execute(db.manager, `UPDATE notes SET body = 'changed' WHERE id = 1`, [], { group: true }).then(
      () => (updated = true),
    );
    const other = insert(2);
    try {
      // The group gives up on the lock after its timeout and runs each statement alone: the insert
      // goes through while the update still waits for the lock, as it would have without the group.
      await other;
      expect(updated).toBe(false);
    } finally {
      await outside.query('COMMIT');
    }
    await update;
    expect((await outside.query('SELECT body FROM notes WHERE id = 1')).rows).toEqual([{ body: 'changed' }]);
  });

  it('runs a grouped statement inside a transaction on that transaction, which may roll it back', async () => {
    await expect(
      db.transaction(async (tx) => {
        await queryRows(tx, 'INSERT INTO notes VALUES ($1, $2)', [1, 'in tx'], { group: true });
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await visible()).toEqual([]);
  });
});

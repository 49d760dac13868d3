import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../../../src/db/data-source';
import { queryRows } from '../../../src/db/sql';
import { isDatabaseUnavailable } from '../../../src/db/unavailable';
import { createTestDatabase } from '../../helpers/test-env';

const SERVER = process.env.TEST_DATABASE_SERVER ?? 'postgres://postgres@127.0.0.1:5432';

async function admin<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: `${SERVER}/postgres` });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

const terminate = (pid: number) => admin((client) => client.query('SELECT pg_terminate_backend($1)', [pid]));

async function caught(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the statement to fail');
}

describe('queryRows when PostgreSQL goes away', () => {
  let drop: () => Promise<void>;
  let name: string;
  let db: DataSource;

  beforeAll(async () => {
    const database = await createTestDatabase();
    drop = database.drop;
    name = new URL(database.url).pathname.slice(1);
    db = createDataSource({ url: database.url, poolSize: 2 });
    await db.initialize();
  });
  afterAll(async () => {
    await admin((client) => client.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`));
    await db.destroy();
    await drop();
  });

  it('reports a statement whose connection is killed under it as the database being unavailable, then carries on', async () => {
    const { pid } = (await queryRows<{ pid: number }>(db.manager, 'SELECT pg_backend_pid() AS pid'))[0]!;
    const sleeping = caught(queryRows(db.manager, 'SELECT pg_sleep(10), pg_backend_pid() AS pid'));
    await new Promise((resolve) => setTimeout(resolve, 200));
    const busy = await admin((client) =>
      client
        .query<{ pid: number }>(
          "SELECT pid FROM pg_stat_activity WHERE datname = $1 AND query LIKE 'SELECT pg_sleep(10)%'",
          [name],
        )
        .then((result) => result.rows),
    );
    expect(busy).toHaveLength(1);
    await terminate(busy[0]!.pid);

    expect(isDatabaseUnavailable(await sleeping)).toBe(true);
    // The dead client left the pool (no unheard 'error' took the process down); the next one works.
    const { alive } = (await queryRows<{ alive: number }>(db.manager, 'SELECT 1 AS alive'))[0]!;
    expect(alive).toBe(1);
    expect(pid).toEqual(expect.any(Number));
  });

  it('fails the next statement of a transaction whose connection died, as TypeORM did', async () => {
    const viaTypeorm = await caught(
      db.transaction(async (tx) => {
        const { pid } = ((await tx.query('SELECT pg_backend_pid() AS pid')) as { pid: number }[])[0]!;
        await terminate(pid);
        await new Promise((resolve) => setTimeout(resolve, 200));
        await tx.query('SELECT 1');
      }),
    );
    const viaHelper = await caught(
      db.transaction(async (tx) => {
        const { pid } = (await queryRows<{ pid: number }>(tx, 'SELECT pg_backend_pid() AS pid'))[0]!;
        await terminate(pid);
        await new Promise((resolve) => setTimeout(resolve, 200));
        await queryRows(tx, 'SELECT 1');
      }),
    );
    expect((viaHelper as object).constructor).toBe((viaTypeorm as object).constructor);
    expect((viaHelper as Error).message).toBe((viaTypeorm as Error).message);
    expect(await queryRows(db.manager, 'SELECT 1 AS alive')).toEqual([{ alive: 1 }]);
  });

  it('reports a database refusing connections as unavailable', async () => {
    await admin(async (client) => {
      await client.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS false`);
      await client.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [name]);
    });
    await new Promise((resolve) => setTimeout(resolve, 200));

    const error = await caught(queryRows(db.manager, 'SELECT 1'));
    expect(isDatabaseUnavailable(error)).toBe(true);
    expect(isDatabaseUnavailable(await caught(db.transaction((tx) => queryRows(tx, 'SELECT 1'))))).toBe(true);
  });
});

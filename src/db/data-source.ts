import { DataSource, type EntityManager } from 'typeorm';
import { Client } from 'pg';
import { migrations } from './migrations';

export type Db = DataSource;
/** A transaction's (or the pool's) entity manager; every repository function takes one. */
export type Tx = EntityManager;

export interface DataSourceOptions {
  url: string;
  /** Pool size of this process. Default 10. */
  poolSize?: number;
}

/** How long a pooled connection may stay idle before it is closed. */
export const POOL_IDLE_MS = 300_000;

export function createDataSource(options: DataSourceOptions): DataSource {
  return new DataSource({
    type: 'postgres',
    url: options.url,
    migrations,
    migrationsTableName: 'schema_migrations',
    synchronize: false,
    logging: false,
    // Idle connections are kept 5 minutes (pg's default is 10 s): a burst after a quiet moment finds its
    // connections open, with their prepared statements and plans, instead of connecting and preparing anew.
    extra: { max: options.poolSize ?? 10, connectionTimeoutMillis: 5000, idleTimeoutMillis: POOL_IDLE_MS },
  });
}

/** Creates the database named in `url` when it does not exist yet (first start on a fresh server). */
export async function ensureDatabaseExists(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.replace(/^\//, ''));
  if (!name) return;
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString(), connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) {
      await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`).catch((error: { code?: string }) => {
        if (error.code !== '42P04') throw error; // created meanwhile by another process
      });
    }
  } finally {
    await client.end();
  }
}

/** Arbitrary but fixed: every Linkflow process takes this advisory lock to migrate, so only one does at once. */
const MIGRATION_LOCK = 7_346_215_001;

export async function runMigrations(db: DataSource): Promise<void> {
  const runner = db.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await db.runMigrations({ transaction: 'each' });
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await runner.release();
  }
}

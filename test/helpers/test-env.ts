import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { Redis } from 'ioredis';
import { loadConfig, type Config } from '../../src/config/env';
import { createContainer, closeContainer, type Container } from '../../src/container';
import { runMigrations } from '../../src/db/data-source';
import { createLogger } from '../../src/lib/logger';
import { applyLinkSecret } from '../../src/startup/link-secret';
import { randomToken, sha256Hex } from '../../src/lib/secrets';

const SERVER = process.env.TEST_DATABASE_SERVER ?? 'postgres://postgres@127.0.0.1:5432';
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export const uniqueName = (prefix: string): string => `${prefix}_${randomBytes(6).toString('hex')}`;

/** A fresh, empty database on the local server; `drop()` removes it. */
export async function createTestDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = uniqueName('lf_test');
  const admin = new Client({ connectionString: `${SERVER}/postgres` });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  return {
    url: `${SERVER}/${name}`,
    drop: async () => {
      const client = new Client({ connectionString: `${SERVER}/postgres` });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

/** Deletes every Redis key under a queue prefix. */
export async function deleteQueuePrefix(prefix: string): Promise<void> {
  const redis = new Redis(REDIS_URL);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

export interface TestEnv {
  config: Config;
  container: Container;
  /** Environment variables that point a child process at this test's database and queue prefix. */
  env: Record<string, string>;
  cleanup: () => Promise<void>;
}

/**
 * A migrated database of its own and a queue prefix of its own, with a container wired to them.
 * Call `cleanup()` in afterAll: it closes everything and drops both.
 */
export async function createTestEnv(overrides: Record<string, string> = {}): Promise<TestEnv> {
  const database = await createTestDatabase();
  const prefix = uniqueName('lft');
  const env: Record<string, string> = {
    DATABASE_URL: database.url,
    REDIS_URL,
    QUEUE_PREFIX: prefix,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    LOG_PRETTY: 'false',
    NODE_ENV: 'test',
    PORT: '0',
    WORKFLOWS_DIR: '/nonexistent-workflows-dir',
    OUTBOX_POLL_MS: '50',
    // Webhook sinks in tests and the bench listen on loopback: allowed by name, so the egress guard stays on and is measured.
    WEBHOOK_ALLOWED_HOSTS: '127.0.0.1,localhost,::1',
    ...overrides,
  };
  const config = loadConfig(env);
  const container = createContainer(config, createLogger({ level: config.LOG_LEVEL, pretty: false }));
  await container.db.initialize();
  await runMigrations(container.db);
  // As start-up does: LINK_SECRET from `overrides`, or a secret of this test database's own.
  await applyLinkSecret(container);
  return {
    config,
    container,
    env,
    cleanup: async () => {
      await closeContainer(container);
      await deleteQueuePrefix(prefix);
      await database.drop();
    },
  };
}

/**
 * An account with an API key of the given scope, inserted directly. Its settings count as confirmed
 * (an admin signing in goes where it asked) unless `settingsConfirmed: false` (asked at sign-in).
 */
export async function createTestAccount(
  container: Container,
  options: { name?: string; timezone?: string; scope?: 'admin' | 'account'; settingsConfirmed?: boolean } = {},
): Promise<{ accountId: string; apiKey: string }> {
  const apiKey = `lf_${randomToken()}`;
  const rows: { id: string }[] = await container.db.query(
    `INSERT INTO accounts (name, timezone, settings_confirmed_at) VALUES ($1, $2, CASE WHEN $3 THEN now() END)
     RETURNING id`,
    [options.name ?? 'Test account', options.timezone ?? 'UTC', options.settingsConfirmed ?? true],
  );
  const accountId = rows[0]!.id;
  await container.db.query('INSERT INTO api_keys (account_id, key_hash, scope) VALUES ($1, $2, $3)', [
    accountId,
    sha256Hex(apiKey),
    options.scope ?? 'account',
  ]);
  return { accountId, apiKey };
}

/** Polls `check` until it returns a truthy value, or fails after `timeoutMs`. */
export async function waitFor<T>(
  check: () => Promise<T> | T,
  options: { timeoutMs?: number; intervalMs?: number; what?: string } = {},
): Promise<NonNullable<T>> {
  const deadline = Date.now() + (options.timeoutMs ?? 15_000);
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await check();
    if (last) return last as NonNullable<T>;
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 50));
  }
  throw new Error(`timed out waiting for ${options.what ?? 'condition'} (last value: ${JSON.stringify(last)})`);
}

import type { Container } from '../container';
import { ensureDatabaseExists, runMigrations } from '../db/data-source';
import { sleep } from '../lib/sleep';

const HINT = 'start it (docker compose up -d) or set';

/** A URL fit for a log line: no password. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable URL)';
  }
}

/** Keeps trying until Postgres answers, then creates the database if needed and migrates. */
export async function prepareDatabase(c: Container): Promise<void> {
  let warned = false;
  for (;;) {
    try {
      await ensureDatabaseExists(c.config.DATABASE_URL);
      if (!c.db.isInitialized) await c.db.initialize();
      break;
    } catch (error) {
      if (!warned) {
        c.logger.warn(
          { url: redactUrl(c.config.DATABASE_URL), reason: error instanceof Error ? error.message : String(error) },
          `PostgreSQL is unreachable; retrying every 2 s — ${HINT} DATABASE_URL`,
        );
        warned = true;
      }
      await sleep(2000);
    }
  }
  await runMigrations(c.db);
}

/** Keeps trying until Redis answers PING. */
export async function waitForRedis(c: Container): Promise<void> {
  let warned = false;
  for (;;) {
    try {
      await c.redis.ping();
      return;
    } catch (error) {
      if (!warned) {
        c.logger.warn(
          { url: redactUrl(c.config.REDIS_URL), reason: error instanceof Error ? error.message : String(error) },
          `Redis is unreachable; retrying every 2 s — ${HINT} REDIS_URL`,
        );
        warned = true;
      }
      await sleep(2000);
    }
  }
}

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

/** Waits up to `ms` for the client's connection (it fails fast while not connected), then pings. */
async function pingWhenReady(c: Container, ms: number): Promise<void> {
  const redis = c.redis;
  if (redis.status !== 'ready') {
    await new Promise<void>((resolve, reject) => {
      const onReady = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        redis.off('ready', onReady);
        reject(new Error(`no connection within ${ms} ms`));
      }, ms);
      redis.once('ready', onReady);
    });
  }
  await redis.ping();
}

/** Keeps trying until Redis answers PING. */
export async function waitForRedis(c: Container): Promise<void> {
  let warned = false;
  for (;;) {
    const attemptStarted = Date.now();
    try {
      // The first connection takes a moment: only a Redis that stays away is worth a warning.
      await pingWhenReady(c, 2000);
      return;
    } catch (error) {
      if (!warned) {
        c.logger.warn(
          { url: redactUrl(c.config.REDIS_URL), reason: error instanceof Error ? error.message : String(error) },
          `Redis is unreachable; retrying every 2 s — ${HINT} REDIS_URL`,
        );
        warned = true;
      }
      await sleep(Math.max(0, 2000 - (Date.now() - attemptStarted)));
    }
  }
}

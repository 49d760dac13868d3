import { once } from 'node:events';
import { ConfigError, loadConfig } from '../config/env';
import { closeContainer, createContainer, type Container } from '../container';
import { createLogger } from '../lib/logger';
import { applyLinkSecret } from '../startup/link-secret';
import { redactUrl } from '../startup/wait-for-services';
import { CliFailure } from './cli-command';

/** How long a command waits for PostgreSQL or Redis before it gives up. */
const CONNECT_TIMEOUT_MS = 5000;

/**
 * Runs `task` with connections of its own to the configured PostgreSQL (and Redis when `redis`),
 * read from the same environment as the server; no server needs to run. Fails fast, with a clear
 * message, when a service is unreachable or the database was never migrated.
 */
export async function withServices<T>(options: { redis: boolean }, task: (c: Container) => Promise<T>): Promise<T> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) throw new CliFailure(error.message);
    throw error;
  }
  // The command prints what matters itself; logs would mix into its output.
  const container = createContainer(config, createLogger({ level: 'silent', pretty: false }));
  try {
    try {
      await container.db.initialize();
    } catch (error) {
      throw new CliFailure(`cannot reach PostgreSQL at ${redactUrl(config.DATABASE_URL)}: ${reason(error)}`);
    }
    const rows: { migrated: boolean }[] = await container.db.query(
      "SELECT to_regclass('runs') IS NOT NULL AS migrated",
    );
    if (!rows[0]?.migrated) {
      throw new CliFailure(
        `the database at ${redactUrl(config.DATABASE_URL)} has no Linkflow schema yet: start Linkflow once (npm start) to migrate it`,
      );
    }
    // Commands that mint links (links:create) sign them with the server's secret.
    await applyLinkSecret(container);
    if (options.redis && container.redis.status !== 'ready') {
      const timeout = AbortSignal.timeout(CONNECT_TIMEOUT_MS);
      await once(container.redis, 'ready', { signal: timeout }).catch(() => {
        throw new CliFailure(`cannot reach Redis at ${redactUrl(config.REDIS_URL)} within ${CONNECT_TIMEOUT_MS} ms`);
      });
    }
    return await task(container);
  } finally {
    await closeContainer(container);
  }
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

import type { Redis } from 'ioredis';
import type { Config } from './config/env';
import { createDataSource, type Db } from './db/data-source';
import type { Logger } from './lib/logger';
import { Queues } from './queue/queues';
import { createRedis } from './queue/redis';

/**
 * The infrastructure every system is wired from, by hand. Domain services are plain functions
 * that take what they need from here (or a transaction); nothing here knows the domain.
 */
export interface Container {
  config: Config;
  logger: Logger;
  db: Db;
  /** Producer-side connection (queues, rate limits, health). Workers open their own. */
  redis: Redis;
  queues: Queues;
}

export function createContainer(config: Config, logger: Logger): Container {
  const db = createDataSource({ url: config.DATABASE_URL, poolSize: config.DATABASE_POOL_SIZE });
  // Fail fast while Redis is down: callers (the outbox relay, the step worker) retry on their own.
  const redis = createRedis({ url: config.REDIS_URL, failFast: true });
  redis.on('error', () => undefined); // reconnects by itself; readiness is logged by main.ts
  const queues = new Queues(redis, config.QUEUE_PREFIX);
  return { config, logger, db, redis, queues };
}

export async function closeContainer(container: Container): Promise<void> {
  await container.queues.close().catch(() => undefined);
  container.redis.disconnect();
  if (container.db.isInitialized) await container.db.destroy();
}

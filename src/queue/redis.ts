import { Redis, type RedisOptions } from 'ioredis';

export interface RedisConnectionOptions {
  url: string;
  /** Fail commands at once while disconnected instead of queueing them. Default false. */
  failFast?: boolean;
}

/** A connection fit for BullMQ: retries forever and reconnects after any outage. */
export function createRedis(options: RedisConnectionOptions): Redis {
  const extra: RedisOptions = {
    maxRetriesPerRequest: null,
    enableOfflineQueue: !options.failFast,
    retryStrategy: (times) => Math.min(times * 200, 2000),
  };
  return new Redis(options.url, extra);
}

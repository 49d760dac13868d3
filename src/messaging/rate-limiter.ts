import type { Redis } from 'ioredis';
import { RetryAfterError } from '../lib/step-errors';
import type { Channel } from './message-store';

export interface RateLimiter {
  /** Takes a slot for one message now, or throws RetryAfterError for when one should be free. */
  acquire(channel: Channel): Promise<void>;
}

export interface RateLimiterOptions {
  redis: Redis;
  /** QUEUE_PREFIX: keys live under `<prefix>:send-rate:`. */
  prefix: string;
  /** Messages per second per channel across all workers; 0 = unlimited. */
  rates: Record<Channel, number>;
}

/**
 * A fixed-window counter in Redis, shared by every worker: INCR the current window's key (windows are
 * counted by Redis's clock, so workers' clocks need not agree), and an expiry so keys go away.
 * Returns [count in this window, Redis time in ms].
 */
const TAKE_SLOT = `
local now = redis.call('TIME')
local ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local window = tonumber(ARGV[1])
local key = KEYS[1] .. ':' .. math.floor(ms / window)
local count = redis.call('INCR', key)
if count == 1 then redis.call('PEXPIRE', key, window * 2) end
return {count, ms}
`;

/** A rate as whole messages per window: 2.5/s → 2 per second (never above the rate); 0.2/s → 1 per 5 s. */
export function windowFor(rate: number): { windowMs: number; limit: number } {
  if (rate >= 1) return { windowMs: 1000, limit: Math.floor(rate) };
  return { windowMs: Math.ceil(1000 / rate), limit: 1 };
}

/**
 * EMAIL_RATE_PER_SEC / SMS_RATE_PER_SEC. A message over the limit is not dropped: its step comes back
 * (RetryAfterError, no attempt spent) in the window its place in line points to, so a backlog
 * spreads over the windows ahead instead of every waiting step waking at the next one.
 */
export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  return {
    async acquire(channel) {
      const rate = options.rates[channel];
      if (!(rate > 0)) return;
      const { windowMs, limit } = windowFor(rate);
      const [count, redisNow] = (await options.redis.eval(
        TAKE_SLOT,
        1,
        `${options.prefix}:send-rate:${channel}`,
        windowMs,
      )) as [number, number];
      if (count <= limit) return;
      const windowsAhead = Math.ceil((count - limit) / limit);
      const opensAt = (Math.floor(redisNow / windowMs) + windowsAhead) * windowMs;
      const jitter = Math.floor(Math.random() * Math.min(100, windowMs / 4));
      throw new RetryAfterError(
        new Date(Date.now() + (opensAt - redisNow) + jitter),
        `${channel} rate limit: waiting for a free slot`,
      );
    },
  };
}

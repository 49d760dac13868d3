import type { RequestHandler } from 'express';
import type { Redis } from 'ioredis';
import type { Logger } from '../../lib/logger';
import { clientNetwork } from './client-network';
import { wantsJson } from './public-errors';
import { securityHeaders } from './security-headers';

export interface PublicRateLimitOptions {
  redis: Redis;
  /** QUEUE_PREFIX: two deployments on one Redis keep separate counts. */
  prefix: string;
  /** Requests per minute per client (an IPv4 address, an IPv6 /64); 0 turns the limit off. */
  limit: number;
  logger: Logger;
  /** The HTML page a browser gets with the 429; JSON callers get `{error: {code: 'rate_limited'}}`. */
  page: () => string;
}

/**
 * A fixed one-minute window per client (an IPv4 address, an IPv6 /64: see clientNetwork), counted in
 * Redis so every API process shares it. `req.ip` honours TRUST_PROXY, so behind a proxy the client's
 * address counts, not the proxy's.
 * Over the limit: 429 with Retry-After. When Redis cannot answer, requests pass: the pages stay up,
 * and bookings stay guarded by Postgres.
 */
export function publicRateLimit(options: PublicRateLimitOptions): RequestHandler {
  let failing = false;
  // The 429 is answered before any page router runs, so it sets the pages' headers (and CSP) itself.
  const headers = securityHeaders();
  return async (req, res, next) => {
    if (options.limit === 0) return next();
    const minute = Math.floor(Date.now() / 60_000);
    const key = `${options.prefix}:ratelimit:${clientNetwork(req.ip)}:${minute}`;
    let count: number;
    try {
      const results = await options.redis.multi().incr(key).expire(key, 120).exec();
      count = Number(results?.[0]?.[1] ?? 0);
      failing = false;
    } catch (error) {
      if (!failing)
        options.logger.warn(
          { err: error instanceof Error ? error.message : String(error) },
          'rate limit unavailable, letting requests pass',
        );
      failing = true;
      return next();
    }
    if (count <= options.limit) return next();
    // Answered here, not by an error handler: those log the path, and these paths carry tokens.
    headers(req, res, () => undefined);
    res.status(429).setHeader('Retry-After', String(60 - Math.floor((Date.now() / 1000) % 60)));
    if (wantsJson(req)) res.json({ error: { code: 'rate_limited', message: 'Too many requests, slow down' } });
    else res.type('html').send(options.page());
  };
}

import type { Request, RequestHandler, Response } from 'express';
import type { Redis } from 'ioredis';
import type { Logger } from '../../lib/logger';
import { clientNetwork } from './client-network';
import { createRateCounter } from './rate-counter';
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
 * A fixed one-minute window per client (an IPv4 address, an IPv6 /64: see clientNetwork), counted
 * for every API process together through Redis (rate-counter.ts: locally and sent in batches while
 * the client is far below the budget, in Redis on every request near it). `req.ip` honours
 * TRUST_PROXY, so behind a proxy the client's address counts, not the proxy's.
 * Over the limit: 429 with Retry-After. When Redis cannot answer, each process keeps the budget on
 * its own: the pages stay up, and bookings stay guarded by Postgres.
 */
export function publicRateLimit(options: PublicRateLimitOptions): RequestHandler {
  if (options.limit === 0) return (_req, _res, next) => next();
  const counter = createRateCounter(options);
  // The 429 is answered before any page router runs, so it sets the pages' headers (and CSP) itself.
  const headers = securityHeaders();
  const refuse = (req: Request, res: Response) => {
    // Answered here, not by an error handler: those log the path, and these paths carry tokens.
    headers(req, res, () => undefined);
    res.status(429).setHeader('Retry-After', String(60 - Math.floor((Date.now() / 1000) % 60)));
    if (wantsJson(req)) res.json({ error: { code: 'rate_limited', message: 'Too many requests, slow down' } });
    else res.type('html').send(options.page());
  };
  return (req, res, next) => {
    const decide = (count: number) => (count <= options.limit ? next() : refuse(req, res));
    const count = counter.count(clientNetwork(req.ip));
    // Near the limit the count is Redis's answer: a promise, which Express 5 awaits (and passes on its failure).
    return typeof count === 'number' ? decide(count) : count.then(decide);
  };
}

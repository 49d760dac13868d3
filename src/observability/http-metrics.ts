import type { Request, RequestHandler } from 'express';
import { redactSecretPaths } from '../lib/secret-paths';
import { observeHttpRequest } from './metrics';

/** Label of requests that matched no route (404s, and requests refused before routing, such as a 401). */
export const UNMATCHED_ROUTE = 'unmatched';

/**
 * The route pattern a request matched, e.g. `/api/v1/contacts/:id`: never the raw path, which
 * carries ids and tokens (`/book/<token>`) and would make one series per request. The mount point
 * (`baseUrl`) is a real path, not a pattern: a token in it is replaced too.
 */
export function routePattern(req: Request): string {
  return redactSecretPaths(matchedRoute(req));
}

function matchedRoute(req: Request): string {
  const pattern: unknown = (req.route as { path?: unknown } | undefined)?.path;
  if (typeof pattern !== 'string') return UNMATCHED_ROUTE;
  const base = req.baseUrl ?? '';
  // An error thrown by a route leaves its router, which resets baseUrl: recover the mount point from
  // the URL, dropping as many trailing segments as the pattern has (patterns without wildcards only).
  if (base || /[*{]/.test(pattern)) return `${base}${pattern}`;
  const segments = (req.originalUrl.split('?')[0] ?? '').replace(/\/+$/, '').split('/');
  const depth = pattern.replace(/\/+$/, '').split('/').length - 1;
  return `${segments.slice(0, Math.max(1, segments.length - depth)).join('/')}${pattern}`;
}

/** Times every request into `linkflow_http_request_duration_seconds{method,route,status}`. */
export function httpMetrics(): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      observeHttpRequest({ method: req.method, route: routePattern(req), status: res.statusCode }, seconds);
    });
    next();
  };
}

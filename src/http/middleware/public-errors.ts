import type { ErrorRequestHandler, Request } from 'express';
import type { Logger } from '../../lib/logger';
import { AppError, ConflictError, ValidationError } from '../../lib/errors';
import { redactSecretPaths } from '../../lib/secret-paths';
import { fromLibraryError, type HttpLibraryError } from './error-handler';
import { JSON_BODY_TYPES } from './require-json';

/** A JSON answer for API-style callers (a JSON body, or Accept preferring JSON); a page for browsers. */
export function wantsJson(req: Request): boolean {
  if (req.method === 'POST' && req.is(JSON_BODY_TYPES)) return true;
  return req.accepts(['html', 'json']) === 'json';
}

/** `/book/:token`, never `/book/<the token>`: public URLs carry secrets, logs must not (baseUrl is a real path). */
export function routeOf(req: Request): string {
  return (
    redactSecretPaths(`${req.baseUrl}${typeof req.route?.path === 'string' ? req.route.path : ''}`) || '(public page)'
  );
}

export interface PublicErrorOptions {
  logger: Logger;
  /** The page for an expected error a browser should see as a page (404, 410, 429); null → JSON. */
  page?: (error: AppError, req: Request) => string | null;
}

/**
 * The error handler of the public pages (/book, /c). It replaces the API's for them because it
 * logs the route pattern, not the path: the path holds the token.
 */
export function publicErrorHandler(options: PublicErrorOptions): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    const appError = error instanceof AppError ? error : fromLibraryError(error as HttpLibraryError);
    if (!appError) {
      options.logger.error({ err: error, method: req.method, route: routeOf(req) }, 'public page failed');
      if (!res.headersSent) res.status(500).json({ error: { code: 'internal', message: 'Internal server error' } });
      return;
    }
    options.logger.warn(
      { method: req.method, route: routeOf(req), code: appError.code, status: appError.status },
      'public request rejected',
    );
    const page = wantsJson(req) ? null : (options.page?.(appError, req) ?? null);
    if (page !== null) {
      res.status(appError.status).type('html').send(page);
      return;
    }
    const body: Record<string, unknown> = { code: appError.code, message: appError.message };
    if (appError instanceof ValidationError) body.issues = appError.issues;
    if (appError instanceof ConflictError && appError.details) Object.assign(body, appError.details);
    res.status(appError.status).json({ error: body });
  };
}

import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from '../../lib/logger';
import { AppError, ConflictError, NotFoundError, PayloadTooLargeError, ValidationError } from '../../lib/errors';
import { redactSecretPaths } from '../../lib/secret-paths';

/** Body-parser and other http-errors style errors carry `type` and `status`. */
export interface HttpLibraryError {
  type?: string;
  status?: number;
  statusCode?: number;
}

export function fromLibraryError(error: HttpLibraryError): AppError | null {
  if (error.type === 'entity.parse.failed') return new ValidationError([{ path: '', message: 'Malformed JSON body' }]);
  if (error.type === 'entity.too.large') return new PayloadTooLargeError();
  const status = error.status ?? error.statusCode;
  if (status === 400 || status === 415) return new ValidationError([{ path: '', message: 'Unreadable request body' }]);
  return null;
}

/** The one place errors become HTTP responses. Unknown errors are a bare 500 with nothing leaked. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    // The unsubscribe page (`/u/<token>`) and unknown paths under /book end here: no token in the log.
    const path = redactSecretPaths(req.path);
    const appError = error instanceof AppError ? error : fromLibraryError(error as HttpLibraryError);
    if (appError) {
      logger.warn({ method: req.method, path, code: appError.code, status: appError.status }, 'request rejected');
      const body: Record<string, unknown> = { code: appError.code, message: appError.message };
      if (appError instanceof ValidationError) body.issues = appError.issues;
      if (appError instanceof ConflictError && appError.details) Object.assign(body, appError.details);
      res.status(appError.status).json({ error: body });
      return;
    }
    logger.error({ err: error, method: req.method, path }, 'request failed');
    if (res.headersSent) return;
    res.status(500).json({ error: { code: 'internal', message: 'Internal server error' } });
  };
}

export const notFoundHandler: RequestHandler = (_req, _res, next) => next(new NotFoundError('Route'));

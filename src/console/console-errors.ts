import type { ErrorRequestHandler, RequestHandler } from 'express';
import { fromLibraryError, type HttpLibraryError } from '../http/middleware/error-handler';
import { AppError, NotFoundError, PayloadTooLargeError, ValidationError } from '../lib/errors';
import type { Logger } from '../lib/logger';
import { sendBarePage, sendPage } from './views/layout';
import { currentSession } from './session/session-middleware';

const ERROR_VIEW = `<section class="card error-page">
<h1>{{heading}}</h1>
<p>{{message}}</p>
{{> issues}}
<p><a href="/app">Back to the console</a></p>
</section>`;

const HEADINGS: Record<number, string> = {
  400: 'That did not work',
  403: 'Not allowed',
  404: 'Not found',
  409: 'That conflicts with the current state',
  410: 'Gone',
  413: 'Too large',
};

/**
 * The console's error handler: an expected error is a page saying what went wrong, with its status
 * (never a 500 for bad input); anything else is logged and answered with a page that leaks nothing.
 */
export function consoleErrorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    const appError =
      error instanceof AppError
        ? error
        : (fromLibraryError(error as HttpLibraryError) ?? fromFormParser(error as HttpLibraryError));
    if (res.headersSent) return;
    let status = 500;
    let data: object = { heading: 'Something went wrong', message: 'The console could not do that. Please try again.' };
    if (appError) {
      logger.warn(
        { method: req.method, path: req.path, code: appError.code, status: appError.status },
        'console request rejected',
      );
      status = appError.status;
      const issues = appError instanceof ValidationError ? appError.issues : [];
      data = { heading: HEADINGS[status] ?? 'That did not work', message: appError.message, issues };
    } else {
      logger.error({ err: error, method: req.method, path: req.path }, 'console request failed');
    }
    if (currentSession(res)) sendPage(res, { title: 'Error', section: 'none', view: ERROR_VIEW, data, status });
    else sendBarePage(res, { title: 'Error', view: ERROR_VIEW, data, status });
  };
}

/** The form parser's own refusals (too many fields, a bad charset …) are the sender's fault, not ours. */
function fromFormParser(error: HttpLibraryError): AppError | null {
  const status = error.status ?? error.statusCode;
  if (status === 413) return new PayloadTooLargeError('The form is too large');
  if (status !== undefined && status >= 400 && status < 500)
    return new ValidationError([{ path: '', message: 'The form could not be read' }]);
  return null;
}

export const consoleNotFound: RequestHandler = (_req, _res, next) => next(new NotFoundError('Page'));

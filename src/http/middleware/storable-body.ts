import type { RequestHandler } from 'express';
import { ValidationError } from '../../lib/errors';
import { formatPath } from '../../lib/format-path';
import { findUnstorableText } from '../../lib/storable-text';

/**
 * Rejects a JSON body holding a string Postgres cannot store (NUL, a lone surrogate) with a 400 at
 * its path, for every endpoint at once, instead of a 500 from the database later.
 */
export function requireStorableBody(): RequestHandler {
  return (req, _res, next) => {
    const path = req.body === undefined ? null : findUnstorableText(req.body);
    if (path)
      return next(
        new ValidationError([
          { path: formatPath(path), message: 'must not contain NUL or unpaired surrogate characters' },
        ]),
      );
    next();
  };
}

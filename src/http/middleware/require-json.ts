import type { RequestHandler } from 'express';
import { ValidationError } from '../../lib/errors';

/** Content types parsed as JSON; express.json() must be given the same list. */
export const JSON_BODY_TYPES = ['application/json', 'application/*+json'];

/**
 * Rejects a request body that is not JSON. express.json() skips such bodies and leaves `req.body`
 * undefined, which a route would otherwise trip over; an empty body passes (e.g. POST …/cancel).
 */
export function requireJsonBody(): RequestHandler {
  return (req, _res, next) => {
    const chunked = req.headers['transfer-encoding'] !== undefined;
    const length = Number(req.headers['content-length'] ?? 0);
    if (!chunked && !(length > 0)) return next();
    if (req.is(JSON_BODY_TYPES)) return next();
    next(new ValidationError([{ path: '', message: 'Request body must be JSON (Content-Type: application/json)' }]));
  };
}

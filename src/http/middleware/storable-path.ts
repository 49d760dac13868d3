import type { RequestHandler } from 'express';
import { ValidationError, type AppError } from '../../lib/errors';
import { isStorableText } from '../../lib/storable-text';

/**
 * The index of the first segment of a raw (still percent-encoded) URL path that does not decode to
 * text Postgres can store: malformed percent-encoding (`%E0%A4%A`, `%ZZ`), an encoded surrogate
 * (`%ED%A0%80`), or a NUL (`%00`). Null when every segment is fine. Segments count from 0 after
 * the leading slash: `/contacts/%00` → 1.
 */
export function findUnstorableSegment(path: string): number | null {
  const segments = path.split('/').slice(1);
  for (const [index, segment] of segments.entries()) {
    if (!segment.includes('%')) continue;
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      return index;
    }
    if (!isStorableText(decoded)) return index;
  }
  return null;
}

/**
 * Refuses a request whose path holds a segment Postgres cannot store, before any router decodes it
 * into a parameter and a query sends it to the database (a 500 there). Mounted at the top of each
 * area, which says what the refusal is: a 404 page for public and console pages, a 400 for the API.
 * `error` gets the segment's index within the area (`req.path` is relative to the mount point).
 */
export function requireStorablePath(error: (segment: number) => AppError): RequestHandler {
  return (req, _res, next) => {
    const segment = findUnstorableSegment(req.path);
    next(segment === null ? undefined : error(segment));
  };
}

/** The API's refusal: a 400 naming the segment (`path[1]` for `/api/v1/contacts/%00`). */
export const unstorablePathError = (segment: number): ValidationError =>
  new ValidationError([{ path: `path[${segment}]`, message: 'must be percent-encoded UTF-8 without NUL characters' }]);

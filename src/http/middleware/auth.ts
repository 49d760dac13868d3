import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { findLiveKeyBySecret, touchLastUsed, type ApiKeyRow } from '../../accounts/api-key-store';
import { LastUsedThrottle, type LastUsedThrottleOptions } from '../../accounts/last-used-throttle';
import type { ApiKeyCache } from '../../accounts/api-key-cache';
import { sha256Hex } from '../../lib/secrets';
import type { Db } from '../../db/data-source';
import { ForbiddenError, UnauthorizedError } from '../../lib/errors';
import type { Logger } from '../../lib/logger';
import { sessionCaller, sessionTokenOf } from './session-auth';

export interface Auth {
  accountId: string;
  scope: 'admin' | 'account';
  /** The key this request presented, or the key its console session was signed in with. */
  keyId: string;
  /** How the caller proved who it is: `Authorization: Bearer`, or the console's session cookie. */
  via: 'key' | 'session';
}

const AUTH = Symbol('auth');
type AuthedRequest = Request & { [AUTH]?: Auth };

export interface RequireApiKeyOptions {
  /** Where a failed "last used" write is reported (the request goes on). Default: not reported. */
  logger?: Logger;
  lastUsed?: LastUsedThrottleOptions;
  /** The API process's memory of live keys (api-key-cache.ts). Default none: every request reads its key. */
  cache?: ApiKeyCache;
}

/**
 * Resolves `Authorization: Bearer <key>` to its account; keys are looked up by their SHA-256. With a
 * cache (the API role's), a live key is answered from memory for a few seconds, and forgotten the
 * moment its revocation commits, whichever process revoked it; so a revoked key is refused from the
 * next request on, with or without the cache.
 * Without that header, the console's session cookie is accepted instead (see session-auth.ts:
 * unsafe methods also need the session's CSRF token). A request with a header never falls back to
 * the cookie, so a wrong key is a 401 whatever else the browser sends.
 */
export function requireApiKey(db: Db, options: RequireApiKeyOptions = {}): RequestHandler {
  const throttle = new LastUsedThrottle(options.lastUsed);
  return async (req: Request, _res: Response, next: NextFunction) => {
    const sessionToken = req.headers.authorization === undefined ? sessionTokenOf(req) : undefined;
    if (sessionToken !== undefined) {
      (req as AuthedRequest)[AUTH] = { ...(await sessionCaller(db, req, sessionToken)), via: 'session' };
      return next();
    }
    const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
    if (!match) return next(new UnauthorizedError());
    const key = await liveKey(db, match[1]!, options.cache);
    if (!key) return next(new UnauthorizedError('Unknown API key'));
    if (throttle.claim(key.id)) {
      // Bookkeeping only: a failed write must not fail the request it describes.
      await touchLastUsed(db.manager, key.id).catch((error: unknown) =>
        options.logger?.warn({ err: error, keyId: key.id }, 'api key last-used update failed'),
      );
    }
    (req as AuthedRequest)[AUTH] = { accountId: key.account_id, scope: key.scope, keyId: key.id, via: 'key' };
    next();
  };
}

/** The live key of a presented secret: from the cache when it remembers it, else read (and remembered). */
async function liveKey(db: Db, secret: string, cache: ApiKeyCache | undefined): Promise<ApiKeyRow | null> {
  if (!cache) return findLiveKeyBySecret(db.manager, secret);
  const hash = sha256Hex(secret);
  const remembered = cache.get(hash);
  if (remembered) return remembered;
  const heard = cache.generation;
  const key = await findLiveKeyBySecret(db.manager, secret);
  if (key) cache.remember(hash, key, heard);
  return key;
}

/** The caller's account; only valid behind requireApiKey. */
export function getAuth(req: Request): Auth {
  const auth = (req as AuthedRequest)[AUTH];
  if (!auth) throw new UnauthorizedError();
  return auth;
}

export function requireAdmin(req: Request): Auth {
  const auth = getAuth(req);
  if (auth.scope !== 'admin') throw new ForbiddenError('Only an admin key may do this');
  return auth;
}

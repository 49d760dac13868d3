import type { Request } from 'express';
import { findSession } from '../../accounts/console-session-store';
import type { Db } from '../../db/data-source';
import { parseCookies, SESSION_COOKIE } from '../../lib/cookies';
import { ForbiddenError, UnauthorizedError } from '../../lib/errors';
import { safeEqual } from '../../lib/secrets';

/** The header the console's pages (the builder) send their session's CSRF token in. */
export const CSRF_HEADER = 'x-csrf-token';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The console session cookie's token, when the request carries one. */
export function sessionTokenOf(req: Request): string | undefined {
  return parseCookies(req.headers.cookie)[SESSION_COOKIE] || undefined;
}

/**
 * The API called from a console page: the session cookie stands for the key it was signed in with
 * (same account and scope; a revoked key's session is refused, as findSession checks on every
 * request). A cookie is sent by the browser on its own, so every unsafe method must also carry the
 * session's CSRF token in `X-CSRF-Token`, which only a page of the console can read (its
 * `<meta name="csrf-token">`). SameSite=Lax already keeps other sites' POSTs cookieless; this is
 * the second lock, as for the console's forms.
 */
export async function sessionCaller(
  db: Db,
  req: Request,
  token: string,
): Promise<{ accountId: string; scope: 'admin' | 'account'; keyId: string }> {
  const session = await findSession(db.manager, token);
  if (!session) throw new UnauthorizedError('The console session has ended; sign in again');
  if (!SAFE_METHODS.has(req.method)) {
    const sent = req.headers[CSRF_HEADER];
    if (typeof sent !== 'string' || !safeEqual(sent, session.csrfToken))
      throw new ForbiddenError('A request made with the console session needs its CSRF token in X-CSRF-Token');
  }
  return { accountId: session.accountId, scope: session.scope, keyId: session.apiKeyId };
}

import type { Request, RequestHandler, Response } from 'express';
import type { Db } from '../../db/data-source';
import { ForbiddenError } from '../../lib/errors';
import { safeEqual } from '../../lib/secrets';
import { parseCookies, SESSION_COOKIE } from '../../lib/cookies';
import { findSession, type ConsoleSession } from '../../accounts/console-session-store';

const SESSION = Symbol('console session');
type SessionLocals = Record<typeof SESSION, ConsoleSession | undefined>;

/** Where a signed-out visitor is sent, remembering the page they wanted (only our own /app and /admin paths). */
export function loginRedirect(req: Request): string {
  const wanted = req.method === 'GET' ? req.originalUrl : '';
  return safeReturnPath(wanted) ? `/app/login?next=${encodeURIComponent(wanted)}` : '/app/login';
}

/** A path of ours to go back to after a sign-in or a form; anything else (another host, `//x`) is not. */
export function safeReturnPath(path: unknown): path is string {
  return typeof path === 'string' && /^\/(app|admin)(\/|$|\?)/.test(path) && !path.includes('\\') && path.length < 2000;
}

/**
 * Loads the session of the `lf_session` cookie. Without a live one, the visitor is redirected to the
 * sign-in page. `scope: 'admin'` also requires a session signed in with an admin key (403 otherwise).
 */
export function requireSession(db: Db, options: { scope?: 'admin' } = {}): RequestHandler {
  return async (req, res, next) => {
    const token = parseCookies(req.headers.cookie)[SESSION_COOKIE];
    const session = token ? await findSession(db.manager, token) : null;
    if (!session) {
      res.redirect(303, loginRedirect(req));
      return;
    }
    if (options.scope === 'admin' && session.scope !== 'admin')
      return next(new ForbiddenError('Only a session signed in with an admin key may see this'));
    (res.locals as SessionLocals)[SESSION] = session;
    next();
  };
}

/** The signed-in session; only valid behind requireSession. */
export function getSession(res: Response): ConsoleSession {
  const session = currentSession(res);
  if (!session) throw new Error('getSession used outside requireSession');
  return session;
}

/** The session, when this request has passed requireSession. */
export function currentSession(res: Response): ConsoleSession | undefined {
  return (res.locals as SessionLocals)[SESSION];
}

/**
 * Every state-changing console request is a form POST carrying the session's CSRF token in `_csrf`.
 * The SameSite=Lax cookie already keeps other sites' POSTs unauthenticated; this is the second lock.
 */
export function requireCsrfToken(): RequestHandler {
  return (req, res, next) => {
    if (req.method === 'GET' || req.method === 'HEAD') return next();
    const sent: unknown = (req.body as Record<string, unknown> | undefined)?._csrf;
    if (typeof sent !== 'string' || !safeEqual(sent, getSession(res).csrfToken)) {
      return next(
        new ForbiddenError('This form has expired or did not come from the console; reload the page and try again'),
      );
    }
    next();
  };
}

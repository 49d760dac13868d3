import { Router, type Request, type Response } from 'express';
import type { Container } from '../../container';
import { ForbiddenError } from '../../lib/errors';
import { randomToken, safeEqual } from '../../lib/secrets';
import { sendBarePage } from '../views/layout';
import { LOGIN_CSRF_COOKIE, parseCookies, serializeCookie, SESSION_COOKIE } from '../../lib/cookies';
import { requireCsrfToken, requireSession, getSession, safeReturnPath } from './session-middleware';
import {
  deleteSession,
  findSession,
  signIn,
  SESSION_TTL_MS,
  type ConsoleSession,
} from '../../accounts/console-session-store';

const LOGIN_VIEW = `<section class="card">
<h1>Sign in to Linkflow</h1>
{{#if signedOut}}<p class="notice" role="status">You are signed out.</p>{{/if}}
{{#if error}}<p class="issues" role="alert">{{error}}</p>{{/if}}
<form method="post" action="/app/login">
<input type="hidden" name="_csrf" value="{{csrf}}">
<input type="hidden" name="next" value="{{next}}">
<label for="apiKey">API key</label>
<input type="password" id="apiKey" name="apiKey" autocomplete="current-password" required autofocus>
<p class="muted">The key your account was given (<code>lf_…</code>). It is exchanged for a session of 12 hours.</p>
<button type="submit">Sign in</button>
</form>
</section>`;

/**
 * An admin signing in to an account whose settings were never saved is asked for them first: the
 * account's name signs its emails, and its zone is every console time's. Account keys are not
 * asked (whoever set up the account with an admin key is).
 */
const welcomeNeeded = (session: ConsoleSession): boolean => session.scope === 'admin' && !session.settingsConfirmed;

/** The settings page as a welcome, going on to `next` once saved. */
const welcomePath = (next: string): string =>
  next === '/app' || next === '/app/'
    ? '/app/settings?welcome=1'
    : `/app/settings?welcome=1&next=${encodeURIComponent(next)}`;

/** Sign-in (an API key for a session cookie) and sign-out. */
export function loginRoutes(c: Container): Router {
  const router = Router();
  const secure = c.config.PUBLIC_URL.startsWith('https:');
  const cookie = (name: string, value: string, maxAgeMs: number): string =>
    serializeCookie(name, value, { maxAge: Math.floor(maxAgeMs / 1000), secure });

  /** The sign-in form is protected by a double-submit token: a cookie and the same value in the form. */
  const showForm = (req: Request, res: Response, options: { status?: number; error?: string } = {}): void => {
    let csrf = parseCookies(req.headers.cookie)[LOGIN_CSRF_COOKIE];
    if (!csrf || csrf.length < 20) {
      csrf = randomToken();
      res.append('Set-Cookie', cookie(LOGIN_CSRF_COOKIE, csrf, 3600_000));
    }
    const next = [req.query.next, (req.body as Record<string, unknown> | undefined)?.next].find(safeReturnPath) ?? '';
    sendBarePage(res, {
      title: 'Sign in',
      view: LOGIN_VIEW,
      status: options.status,
      data: { csrf, next, error: options.error, signedOut: req.query['signed-out'] === '1' },
    });
  };

  router.get('/login', async (req, res) => {
    const token = parseCookies(req.headers.cookie)[SESSION_COOKIE];
    if (token && (await findSession(c.db.manager, token))) {
      res.redirect(303, safeReturnPath(req.query.next) ? req.query.next : '/app');
      return;
    }
    showForm(req, res);
  });

  router.post('/login', async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const expected = parseCookies(req.headers.cookie)[LOGIN_CSRF_COOKIE];
    if (!expected || typeof body._csrf !== 'string' || !safeEqual(body._csrf, expected)) {
      throw new ForbiddenError('The sign-in form expired; reload the page and sign in again');
    }
    const apiKey = typeof body.apiKey === 'string' ? body.apiKey.trim() : '';
    const signedIn = apiKey && apiKey.length <= 200 ? await c.db.transaction((tx) => signIn(tx, apiKey)) : null;
    if (!signedIn) {
      c.logger.warn({ route: '/app/login' }, 'console sign-in refused');
      showForm(req, res, { status: 401, error: 'That API key is not valid.' });
      return;
    }
    c.logger.info({ accountId: signedIn.session.accountId, sessionId: signedIn.session.id }, 'console signed in');
    res.append('Set-Cookie', cookie(SESSION_COOKIE, signedIn.token, SESSION_TTL_MS));
    res.append('Set-Cookie', cookie(LOGIN_CSRF_COOKIE, '', 0));
    const next = safeReturnPath(body.next) ? body.next : '/app';
    res.redirect(303, welcomeNeeded(signedIn.session) ? welcomePath(next) : next);
  });

  router.post('/logout', requireSession(c.db), requireCsrfToken(), async (_req, res) => {
    const session = getSession(res);
    await deleteSession(c.db.manager, session.id);
    c.logger.info({ accountId: session.accountId, sessionId: session.id }, 'console signed out');
    res.append('Set-Cookie', cookie(SESSION_COOKIE, '', 0));
    res.redirect(303, '/app/login?signed-out=1');
  });

  return router;
}

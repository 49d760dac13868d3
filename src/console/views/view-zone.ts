import type { Request, Response } from 'express';
import { parseCookies } from '../../lib/cookies';
import { canonicalZone } from '../../lib/time-zone';
import { currentSession } from '../session/session-middleware';

/** The browser's own zone, set by the console's script (console-script.ts) on every page. */
export const ZONE_COOKIE = 'lf_zone';

export interface ViewZone {
  /** The canonical IANA zone the page's times are written in. */
  zone: string;
  /** Where it comes from: the account's setting, or the viewer's browser. */
  source: 'account' | 'viewer';
  /** The account shows times in the viewer's zone, but the browser has not said which yet. */
  viewerPending: boolean;
}

/**
 * The zone a console page shows its times in: the account's, or, when the account chose the
 * viewer's, the browser's zone from its cookie. The cookie is the visitor's to write: it is only
 * ever used through canonicalZone, and anything that is not a zone falls back to the account's.
 */
export function resolveViewZone(
  cookieHeader: string | undefined,
  settings: { accountZone: string; consoleZone: 'account' | 'viewer' },
): ViewZone {
  const accountZone = canonicalZone(settings.accountZone) ?? 'UTC';
  if (settings.consoleZone !== 'viewer') return { zone: accountZone, source: 'account', viewerPending: false };
  const browserZone = canonicalZone(parseCookies(cookieHeader)[ZONE_COOKIE]);
  return browserZone
    ? { zone: browserZone, source: 'viewer', viewerPending: false }
    : { zone: accountZone, source: 'account', viewerPending: true };
}

/** The view zone of this console request; UTC outside a session (the sign-in and error pages). */
export function viewZone(res: Response, req: Request | undefined = res.req): ViewZone {
  const session = currentSession(res);
  if (!session) return { zone: 'UTC', source: 'account', viewerPending: false };
  return resolveViewZone(req?.headers.cookie, session);
}

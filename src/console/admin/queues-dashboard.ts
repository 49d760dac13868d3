import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { Router } from 'express';
import type { Container } from '../../container';
import { QUEUE_NAMES } from '../../queue/job-catalog';
import { consoleErrorHandler } from '../console-errors';
import { consoleHeaders } from '../console-headers';
import { requireSession } from '../session/session-middleware';

export const QUEUES_BASE_PATH = '/admin/queues';

/**
 * bull-board ships a React app with inline styles and its own JSON API: 'self' scripts, inline
 * styles, and fetches to our origin. Its Google Fonts link is refused (nothing leaves the machine;
 * the browser falls back to a local font).
 */
const DASHBOARD_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'self'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * `/admin/queues`: the queues' dashboard (bull-board) behind the console's sign-in, for sessions
 * signed in with an admin key (queues hold every account's jobs). Its API changes jobs (retry,
 * clean) with JSON requests; the SameSite=Lax session cookie is not sent with other sites' requests.
 */
export function queuesDashboard(c: Container): Router {
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(QUEUES_BASE_PATH);
  createBullBoard({
    queues: QUEUE_NAMES.map((name) => new BullMQAdapter(c.queues.queue(name))),
    // @bull-board/express pins its own copy of @bull-board/api (a patch version behind ours): the same
    // adapter at run time, but TypeScript sees two declarations of its private fields.
    serverAdapter: serverAdapter as unknown as Parameters<typeof createBullBoard>[0]['serverAdapter'],
    options: { uiConfig: { boardTitle: 'Linkflow queues' } },
  });
  const router = Router();
  router.use(consoleHeaders({ csp: DASHBOARD_CSP }));
  router.use(requireSession(c.db, { scope: 'admin' }));
  router.use(serverAdapter.getRouter() as Router);
  router.use(consoleErrorHandler(c.logger));
  return router;
}

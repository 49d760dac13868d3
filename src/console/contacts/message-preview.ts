import { Router } from 'express';
import Handlebars from 'handlebars';
import type { Container } from '../../container';
import { isUuid } from '../../contacts/contact-store';
import { NotFoundError } from '../../lib/errors';
import { findMessageContent } from '../../messaging/message-store';
import { getSession } from '../session/session-middleware';

/**
 * An email's HTML is the marketer's (or a template's) markup: it is shown in a sandboxed frame of its
 * own, with a policy that runs no script, loads nothing from elsewhere (no tracking pixel fires from
 * the console) and may only be framed by the console.
 */
const PREVIEW_CSP = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'";

/** `GET /app/messages/:id/preview`: the rendered email (or its text) of a message of the session's account. */
export function messagePreviewRoutes(c: Container): Router {
  const router = Router();
  router.get('/messages/:id/preview', async (req, res) => {
    const { accountId } = getSession(res);
    if (!isUuid(req.params.id)) throw new NotFoundError('Message');
    const message = await findMessageContent(c.db.manager, { accountId, messageId: req.params.id });
    if (!message) throw new NotFoundError('Message');
    res.setHeader('Content-Security-Policy', PREVIEW_CSP);
    res.setHeader('X-Frame-Options', 'SAMEORIGIN');
    const html = message.html ?? `<pre>${Handlebars.escapeExpression(message.text ?? message.body ?? '')}</pre>`;
    res.type('html').send(html);
  });
  return router;
}

import { Router, type Response } from 'express';
import type { Container } from '../../container';
import {
  findUnsubscribeTarget,
  unsubscribeFromEmail,
  type UnsubscribeTarget,
} from '../../contacts/contact-unsubscribe';
import { readUnsubscribeToken } from '../../messaging/unsubscribe-token';
import { securityHeaders } from '../middleware/security-headers';
import { findUnstorableSegment } from '../middleware/storable-path';
import { renderPage, renderPageBody } from '../pages/layout';

const CONFIRM = `<div class="card">
<h1>Unsubscribe from {{accountName}}?</h1>
{{#if unsubscribed}}<p>You are already unsubscribed: {{email}} gets no more email from {{accountName}}.</p>
{{else}}<p>{{email}} will get no more marketing email from {{accountName}}.</p>
<form method="post"><button type="submit">Unsubscribe</button></form>{{/if}}
</div>`;

const DONE = `<div class="card">
<h1>You are unsubscribed</h1>
<p>{{email}} will get no more marketing email from {{accountName}}.</p>
</div>`;

const INVALID = `<div class="card">
<h1>This link does not work</h1>
<p class="muted">It may have been copied incompletely. Use the unsubscribe link of a recent email.</p>
</div>`;

/** `ada@example.com` → `a***@example.com`: enough to recognise, not enough to harvest. */
function maskEmail(email: string | null): string {
  if (!email) return 'This contact';
  const at = email.lastIndexOf('@');
  return at <= 0 ? '***' : `${email[0]}***${email.slice(at)}`;
}

function page(
  res: Response,
  status: number,
  title: string,
  body: string,
  target?: UnsubscribeTarget,
  unsubscribed = false,
): void {
  const context = target ? { accountName: target.accountName, email: maskEmail(target.email), unsubscribed } : {};
  res
    .status(status)
    .type('html')
    .send(renderPage({ title, content: renderPageBody(body, context) }));
}

/**
 * The unsubscribe link of every email, `/u/:token`. GET shows a confirmation and changes nothing (mail
 * scanners follow links); POST unsubscribes, from our form or a mail client's RFC 8058 one-click
 * (`List-Unsubscribe=One-Click`; any POST body is accepted, the signed token is the authority).
 * A token we did not sign, or a contact that no longer exists, is a 404 page.
 */
export function unsubscribeRoutes(c: Container): Router {
  const router = Router();
  router.use('/u', securityHeaders());
  // A token that cannot be stored (a NUL, bad percent-encoding) is no token of ours.
  router.use('/u', (req, res, next) =>
    findUnstorableSegment(req.path) === null ? next() : page(res, 404, 'Link not valid', INVALID),
  );

  const target = async (token: string): Promise<UnsubscribeTarget | null> => {
    const contactId = readUnsubscribeToken(c.config.LINK_SECRET, token);
    return contactId === null ? null : findUnsubscribeTarget(c.db.manager, contactId);
  };

  router.get('/u/:token', async (req, res) => {
    const found = await target(req.params.token);
    if (!found) return page(res, 404, 'Link not valid', INVALID);
    page(res, 200, 'Unsubscribe', CONFIRM, found, found.unsubscribed);
  });

  router.post('/u/:token', async (req, res) => {
    const found = await target(req.params.token);
    if (!found || !(await unsubscribeFromEmail(c.db.manager, found.contactId)))
      return page(res, 404, 'Link not valid', INVALID);
    c.logger.info({ contactId: found.contactId, accountId: found.accountId }, 'contact unsubscribed from email');
    page(res, 200, 'Unsubscribed', DONE, found);
  });

  return router;
}

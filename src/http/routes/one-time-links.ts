import { Router } from 'express';
import type { Container } from '../../container';
import { getLinkRow, listLinkRows, listLinksQuerySchema, revokeLink, toLinkView } from '../../links/link-service';
import { parseOrThrow } from '../../lib/zod-issues';
import { getAuth } from '../middleware/auth';
import { urlSignerOf } from '../../lib/signed-tokens';

/** One-time links: read, list, revoke. They are minted by the workflow action or POST /calendars/:id/one-time-links. */
export function oneTimeLinkRoutes(c: Container): Router {
  const router = Router();
  const urls = urlSignerOf(c.config);

  router.get('/one-time-links', async (req, res) => {
    const query = parseOrThrow(listLinksQuerySchema, req.query);
    const { rows, nextCursor } = await listLinkRows(c.db.manager, getAuth(req).accountId, query);
    res.json({ items: rows.map((row) => toLinkView(row, urls)), nextCursor });
  });

  router.get('/one-time-links/:id', async (req, res) => {
    res.json(toLinkView(await getLinkRow(c.db.manager, getAuth(req).accountId, req.params.id), urls));
  });

  /** Revokes an active link; a used, expired or revoked one is returned unchanged. */
  router.delete('/one-time-links/:id', async (req, res) => {
    const { accountId } = getAuth(req);
    const link = await c.db.transaction((tx) => revokeLink(tx, accountId, req.params.id));
    c.logger.info({ linkId: link.id }, 'one-time link revoked');
    res.json(toLinkView(link, urls));
  });

  return router;
}

import { Router } from 'express';
import { createApiKeyFor, listApiKeys, revokeApiKey } from '../../accounts/api-key-service';
import type { Container } from '../../container';
import { getAuth } from '../middleware/auth';

/** The caller's account's own API keys: create (the key shown this once), list, revoke. */
export function apiKeyRoutes(c: Container): Router {
  const router = Router();

  router.post('/keys', async (req, res) => {
    const auth = getAuth(req);
    const created = await c.db.transaction((tx) => createApiKeyFor(tx, auth, req.body));
    c.logger.info(
      { accountId: auth.accountId, keyId: created.id, scope: created.scope, byKeyId: auth.keyId },
      'api key created',
    );
    res.status(201).json(created);
  });

  router.get('/keys', async (req, res) => {
    res.json({ items: await listApiKeys(c.db.manager, getAuth(req).accountId) });
  });

  /** Revokes a key of the account: it answers 401 from the next request, and its console sessions end. */
  router.delete('/keys/:id', async (req, res) => {
    const auth = getAuth(req);
    const revoked = await c.db.transaction((tx) =>
      revokeApiKey(tx, { accountId: auth.accountId, keyId: req.params.id }),
    );
    c.logger.info({ accountId: auth.accountId, keyId: revoked.id, byKeyId: auth.keyId }, 'api key revoked');
    res.status(204).end();
  });

  return router;
}

import { Router } from 'express';
import { createAccountSchema } from '../../accounts/account-schema';
import { createAccount } from '../../accounts/account-service';
import type { Container } from '../../container';
import { parseOrThrow } from '../../lib/zod-issues';
import { requireAdmin } from '../middleware/auth';

export function accountRoutes(container: Container): Router {
  const router = Router();

  /** Admin only: a new account and its first key, shown this once. */
  router.post('/accounts', async (req, res) => {
    requireAdmin(req);
    const input = parseOrThrow(createAccountSchema, req.body);
    const { account, apiKey } = await container.db.transaction((tx) => createAccount(tx, input));
    res
      .status(201)
      .location(`/api/v1/accounts/${account.id}`)
      .json({ ...account, apiKey });
  });

  return router;
}

import { Router } from 'express';
import { createAccountSchema } from '../../accounts/account-schema';
import { createAccount, getAccount, updateAccount } from '../../accounts/account-service';
import type { Container } from '../../container';
import { parseOrThrow } from '../../lib/zod-issues';
import { getAuth, requireAdmin } from '../middleware/auth';

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

  /** The caller's own account, for any of its keys. */
  router.get('/account', async (req, res) => {
    res.json(await getAccount(container.db.manager, getAuth(req).accountId));
  });

  /**
   * Any key of the account (admin or not) may change its settings: they describe the account to its
   * own contacts, and every key of an account already acts for it in full. No key changes another's.
   */
  router.patch('/account', async (req, res) => {
    const auth = getAuth(req);
    const account = await container.db.transaction((tx) => updateAccount(tx, auth.accountId, req.body));
    container.logger.info({ accountId: auth.accountId, byKeyId: auth.keyId }, 'account settings changed');
    res.json(account);
  });

  return router;
}

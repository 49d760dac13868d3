import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Db } from '../../db/data-source';
import { ForbiddenError, UnauthorizedError } from '../../lib/errors';
import { sha256Hex } from '../../lib/secrets';

export interface Auth {
  accountId: string;
  scope: 'admin' | 'account';
}

const AUTH = Symbol('auth');
type AuthedRequest = Request & { [AUTH]?: Auth };

/** Resolves `Authorization: Bearer <key>` to its account; keys are looked up by their SHA-256. */
export function requireApiKey(db: Db): RequestHandler {
  return async (req: Request, _res: Response, next: NextFunction) => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
    if (!match) return next(new UnauthorizedError());
    const rows: { account_id: string; scope: Auth['scope'] }[] = await db.query(
      'SELECT account_id, scope FROM api_keys WHERE key_hash = $1',
      [sha256Hex(match[1]!)],
    );
    const row = rows[0];
    if (!row) return next(new UnauthorizedError('Unknown API key'));
    (req as AuthedRequest)[AUTH] = { accountId: row.account_id, scope: row.scope };
    next();
  };
}

/** The caller's account; only valid behind requireApiKey. */
export function getAuth(req: Request): Auth {
  const auth = (req as AuthedRequest)[AUTH];
  if (!auth) throw new UnauthorizedError();
  return auth;
}

export function requireAdmin(req: Request): Auth {
  const auth = getAuth(req);
  if (auth.scope !== 'admin') throw new ForbiddenError('Only an admin key may do this');
  return auth;
}

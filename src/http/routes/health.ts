import { Router } from 'express';
import type { Container } from '../../container';

/** Each dependency gets this long to answer before it counts as down. */
const CHECK_TIMEOUT_MS = 1000;

/** True when `check` resolves within the timeout; never rejects, never waits longer. */
function answers(check: () => Promise<unknown>, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    const settle = (ok: boolean) => {
      clearTimeout(timer);
      resolve(ok);
    };
    Promise.resolve()
      .then(check)
      .then(
        () => settle(true),
        () => settle(false),
      );
  });
}

/** `GET /healthz`: 200 when Postgres and Redis both answer, else 503 naming those that did not. */
export function healthRoutes(container: Container): Router {
  const router = Router();
  router.get('/healthz', async (_req, res) => {
    const [postgres, redis] = await Promise.all([
      answers(() => container.db.query('SELECT 1'), CHECK_TIMEOUT_MS),
      answers(() => container.redis.ping(), CHECK_TIMEOUT_MS),
    ]);
    const down = [...(postgres ? [] : ['postgres']), ...(redis ? [] : ['redis'])];
    res.set('Cache-Control', 'no-store');
    if (down.length === 0) res.json({ status: 'ok' });
    else res.status(503).json({ status: 'unavailable', down });
  });
  return router;
}

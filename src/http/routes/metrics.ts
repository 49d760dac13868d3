import { Router } from 'express';
import type { Container } from '../../container';
import { renderAllMetrics } from '../../observability/render-metrics';

/**
 * `GET /metrics` in the Prometheus text format, without an API key: operators scrape it from inside
 * their network. It shows workflow slugs and counts, never contact data; keep it off the public
 * internet at the load balancer (or run API processes on a private port) if slugs are sensitive.
 */
export function metricsRoutes(c: Container): Router {
  const router = Router();
  router.get('/metrics', async (_req, res) => {
    const { contentType, body } = await renderAllMetrics({ db: c.db, queues: c.queues, logger: c.logger });
    res.set('Cache-Control', 'no-store').type(contentType).send(body);
  });
  return router;
}

import { Router } from 'express';
import type { Container } from '../../container';
import { UnauthorizedError } from '../../lib/errors';
import { metricsAuthorized } from '../../observability/metrics-auth';
import { allMetricsRenderer } from '../../observability/render-metrics';
import type { ScrapeCacheOptions } from '../../observability/scrape-cache';

/**
 * `GET /metrics` in the Prometheus text format. With METRICS_TOKEN set it requires
 * `Authorization: Bearer <METRICS_TOKEN>`; without, it is open, for operators who scrape from inside
 * their network (keep it off the public internet at the load balancer). Workflows are labelled by
 * id, never by slug, and no contact data appears. The counts that scan tables are computed at most
 * once per window (`windowMs`, default 15 s) for this router, however many scrapes arrive.
 */
export function metricsRoutes(c: Container, options: ScrapeCacheOptions = {}): Router {
  const router = Router();
  const render = allMetricsRenderer({ db: c.db, queues: c.queues, logger: c.logger }, options);
  router.get('/metrics', async (req, res) => {
    if (!metricsAuthorized(req.headers.authorization, c.config.METRICS_TOKEN)) {
      res.set('WWW-Authenticate', 'Bearer realm="metrics"');
      throw new UnauthorizedError('A valid metrics token is required (Authorization: Bearer <METRICS_TOKEN>)');
    }
    const { contentType, body } = await render();
    res.set('Cache-Control', 'no-store').type(contentType).send(body);
  });
  return router;
}

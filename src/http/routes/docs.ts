import { Router } from 'express';
import type { Container } from '../../container';
import { securityHeaders } from '../middleware/security-headers';
import { renderDocsPage } from '../openapi/docs-page';
import { buildOpenApiDocument } from '../openapi/openapi-document';

/**
 * `GET /api/v1/openapi.json` and `GET /api/v1/docs`, mounted before the API key check: the
 * description of the API is public, like any published API reference. Both are built once.
 */
export function apiDocsRoutes(c: Container): Router {
  const router = Router();
  const document = buildOpenApiDocument({ serverUrl: c.config.PUBLIC_URL });
  const page = renderDocsPage(document);

  router.get('/openapi.json', (_req, res) => {
    res.set('Cache-Control', 'no-cache').json(document);
  });

  router.get('/docs', securityHeaders(), (_req, res) => {
    res.type('html').send(page);
  });

  return router;
}

import { Router } from 'express';
import { PAGE_STYLES } from '../pages/page-styles';

/** Static assets of the public pages, served from our own origin (the CSP allows nothing else). */
export function assetRoutes(): Router {
  const router = Router();
  router.get('/assets/linkflow.css', (_req, res) => {
    res.type('text/css').setHeader('Cache-Control', 'public, max-age=3600');
    res.send(PAGE_STYLES);
  });
  return router;
}

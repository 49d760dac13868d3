import { Router } from 'express';
import { clientBundleRoute, CLIENT_ASSETS_PATH } from './client-bundle';
import { CONSOLE_SCRIPT } from './console-script';
import { CONSOLE_STYLES } from './console-styles';
import { contactImportAssetRoutes } from './contact-import-assets';
import { contactTimelineAssetRoutes } from './contact-timeline-assets';

/** The console's stylesheet and scripts (the built islands too), from our own origin; no sign-in needed to fetch them. */
export function consoleAssetRoutes(): Router {
  const router = Router();
  router.get('/assets/console.css', (_req, res) => {
    res.type('text/css').setHeader('Cache-Control', 'public, max-age=3600');
    res.send(CONSOLE_STYLES);
  });
  router.get('/assets/console.js', (_req, res) => {
    res.type('text/javascript').setHeader('Cache-Control', 'public, max-age=3600');
    res.send(CONSOLE_SCRIPT);
  });
  router.use(CLIENT_ASSETS_PATH, clientBundleRoute());
  router.use(contactImportAssetRoutes());
  router.use(contactTimelineAssetRoutes());
  return router;
}

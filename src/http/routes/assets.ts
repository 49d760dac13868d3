import { Router, type RequestHandler } from 'express';
import path from 'node:path';
import { PAGE_STYLES } from '../pages/page-styles';
import { WIDGET_STYLES } from '../pages/widget-styles';

/**
 * Where `npm run build` (scripts/build-client.mjs) writes the client-side islands. Three levels up
 * from this file is the project root both from src/ (tsx, tests) and from dist/ (`npm start`).
 */
const CLIENT_DIR = path.resolve(__dirname, '../../..', 'dist/client');

/**
 * Fixed names (pages link them by name), so a short cache: after a deploy, a browser may run the
 * previous widget for up to ten minutes, which the JSON answers (only ever added to) allow.
 */
const BUILT_CACHE = 'public, max-age=600';

/** A built file of dist/client; a 404 when it was not built (the pages work without it). */
function builtFile(file: string, headers: Record<string, string>): RequestHandler {
  return (_req, res, next) => {
    res.sendFile(
      path.join(CLIENT_DIR, file),
      { headers: { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': BUILT_CACHE, ...headers } },
      (error?: Error & { status?: number }) => {
        if (error) next(error.status === 404 ? undefined : error);
      },
    );
  };
}

/** Static assets of the public pages, served from our own origin (the CSP allows nothing else). */
export function assetRoutes(): Router {
  const router = Router();
  const styles = PAGE_STYLES + WIDGET_STYLES;
  router.get('/assets/linkflow.css', (_req, res) => {
    res.type('text/css').setHeader('Cache-Control', 'public, max-age=3600');
    res.send(styles);
  });
  router.get('/assets/client/booking.js', builtFile('booking.js', { 'X-Content-Type-Options': 'nosniff' }));
  // Loaded by other sites (the popup embed code): any origin may fetch and run it.
  router.get(
    '/embed.js',
    builtFile('embed.js', {
      'X-Content-Type-Options': 'nosniff',
      'Access-Control-Allow-Origin': '*',
      'Cross-Origin-Resource-Policy': 'cross-origin',
    }),
  );
  return router;
}

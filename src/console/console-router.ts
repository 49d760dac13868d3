import express, { Router } from 'express';
import type { Container } from '../container';
import { consoleAssetRoutes } from './assets/asset-routes';
import { calendarPages } from './calendars/calendar-pages';
import { sharePages } from './calendars/share-pages';
import { consoleErrorHandler, consoleNotFound } from './console-errors';
import { consoleHeaders } from './console-headers';
import { requireStorablePath } from '../http/middleware/storable-path';
import { NotFoundError } from '../lib/errors';
import { contactPages } from './contacts/contact-pages';
import { contactBulkPages } from './contacts/bulk-pages';
import { contactImportPages, contactImportUploadPage } from './contacts/import-pages';
import { messagePreviewRoutes } from './contacts/message-preview';
import { keyPages } from './keys/key-pages';
import { linkPages } from './links/link-pages';
import { runPages } from './runs/run-pages';
import { settingsPages } from './settings/settings-pages';
import { loginRoutes } from './session/login-routes';
import { requireCsrfToken, requireSession } from './session/session-middleware';
import { workflowActions } from './workflows/workflow-actions';
import { workflowPages } from './workflows/workflow-pages';
import { builderPages } from './workflows/builder-pages';

/**
 * The web console, mounted at /app: server-rendered pages over the same domain services as the API,
 * always with the signed-in session's account. Forms are urlencoded (only here) and carry a CSRF token.
 */
export function consoleRouter(c: Container): Router {
  const router = Router();
  router.use(consoleHeaders());
  // An id that cannot be stored (a NUL, bad percent-encoding) names nothing: the 404 page.
  router.use(requireStorablePath(() => new NotFoundError('Page')));
  router.use(consoleAssetRoutes());
  // 1 MB: the workflow editor posts whole definitions.
  router.use(express.urlencoded({ extended: false, limit: '1mb', parameterLimit: 2000 }));
  router.use(loginRoutes(c));
  router.use(requireSession(c.db));
  // The CSV upload is multipart, which the form parser above leaves alone: it checks its CSRF field itself.
  router.use(contactImportUploadPage(c));
  router.use(requireCsrfToken());
  router.get('/', (_req, res) => res.redirect(303, '/app/workflows'));
  router.use(contactImportPages(c)); // before contactPages: /contacts/import is no contact id
  router.use(contactBulkPages(c));
  router.use(contactPages(c));
  router.use(messagePreviewRoutes(c));
  router.use(builderPages(c)); // before workflowPages: /workflows/new is the builder
  router.use(workflowPages(c));
  router.use(workflowActions(c));
  router.use(runPages(c));
  router.use(calendarPages(c));
  router.use(sharePages(c));
  router.use(linkPages(c));
  router.use(keyPages(c));
  router.use(settingsPages(c));
  router.use(consoleNotFound);
  router.use(consoleErrorHandler(c.logger));
  return router;
}

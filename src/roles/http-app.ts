import express from 'express';
import { queuesDashboard, QUEUES_BASE_PATH } from '../console/admin/queues-dashboard';
import { consoleRouter } from '../console/console-router';
import type { Container } from '../container';
import { httpMetrics } from '../observability/http-metrics';
import { requireApiKey } from '../http/middleware/auth';
import type { ApiKeyCache } from '../accounts/api-key-cache';
import { publicRateLimit } from '../http/middleware/public-rate-limit';
import { tooManyRequestsPage } from '../http/pages/booking-html';
import { errorHandler, notFoundHandler } from '../http/middleware/error-handler';
import { JSON_BODY_TYPES, requireJsonBody } from '../http/middleware/require-json';
import { requireStorableBody } from '../http/middleware/storable-body';
import { requireStorablePath, unstorablePathError } from '../http/middleware/storable-path';
import { accountRoutes } from '../http/routes/accounts';
import { apiKeyRoutes } from '../http/routes/api-keys';
import { appointmentRoutes } from '../http/routes/appointments';
import { assetRoutes } from '../http/routes/assets';
import { apiDocsRoutes } from '../http/routes/docs';
import { bookPagesRouter } from '../http/routes/book-pages-router';
import { calendarRoutes } from '../http/routes/calendars';
import { contactRoutes } from '../http/routes/contacts';
import { createContactWriteBatch } from '../contacts/contact-write-batch';
import { contactImportRoutes, contactImportUploadRoutes } from '../http/routes/contact-imports';
import { eventRoutes } from '../http/routes/events';
import { healthRoutes } from '../http/routes/health';
import { metricsRoutes } from '../http/routes/metrics';
import { oneTimeLinkRoutes } from '../http/routes/one-time-links';
import { messageRoutes } from '../http/routes/messages';
import { runRoutes } from '../http/routes/runs';
import { schedulingPageRoutes } from '../http/routes/scheduling-pages';
import { unsubscribeRoutes } from '../http/routes/unsubscribe';
import { workflowRoutes } from '../http/routes/workflows';
import { workflowExtraRoutes } from '../http/routes/workflow-extras';
import { builderPickerRoutes } from '../http/routes/builder-pickers';

export interface AppOptions {
  /** The API process's memory of live keys (the API role starts one, see api.ts). Default none. */
  apiKeyCache?: ApiKeyCache;
}

/** The HTTP app, without listening: main.ts listens, tests drive it with supertest. */
export function createApp(container: Container, options: AppOptions = {}): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', parseTrustProxy(container.config.TRUST_PROXY));

  app.use(httpMetrics());
  // Public pages (no API key) are mounted here: /u (unsubscribe), /book, /c.
  // One per-IP budget for every public page, shared by all API processes through Redis.
  app.use(
    ['/book', '/c', '/u'],
    publicRateLimit({
      redis: container.redis,
      prefix: container.config.QUEUE_PREFIX,
      limit: container.config.PUBLIC_RATE_LIMIT,
      logger: container.logger,
      page: tooManyRequestsPage,
    }),
  );
  app.use('/book', bookPagesRouter(container));
  app.use('/c', schedulingPageRoutes(container));
  // After /book and /c, whose routers answer every path under them (a catch-all 404), so that a
  // booking passes three routers fewer; none of these paths (/healthz, /metrics, /assets/…,
  // /embed.js) is under /book or /c, so each answers as when it came first.
  app.use(healthRoutes(container));
  app.use(metricsRoutes(container));
  app.use(assetRoutes());
  app.use(unsubscribeRoutes(container));

  // The API's description is public: mounted before the router that checks the key.
  app.use('/api/v1', apiDocsRoutes(container));
  // The CSV upload streams multipart (up to 100 MB) past the API's JSON-only, 1 MB body rules; it checks the key itself.
  app.use('/api/v1', contactImportUploadRoutes(container));
  const api = express.Router();
  api.use(requireStorablePath(unstorablePathError));
  api.use(requireJsonBody());
  api.use(express.json({ limit: '1mb', type: JSON_BODY_TYPES }));
  api.use(requireStorableBody());
  api.use(requireApiKey(container.db, { logger: container.logger, cache: options.apiKeyCache }));
  api.use(accountRoutes(container));
  api.use(apiKeyRoutes(container));
  api.use(contactRoutes(container, { contactWrites: createContactWriteBatch(container.db) }));
  api.use(contactImportRoutes(container));
  api.use(messageRoutes(container));
  api.use(eventRoutes(container));
  api.use(workflowRoutes(container));
  api.use(workflowExtraRoutes(container));
  api.use(builderPickerRoutes(container));
  api.use(runRoutes(container));
  api.use(calendarRoutes(container));
  api.use(appointmentRoutes(container));
  api.use(oneTimeLinkRoutes(container));
  app.use('/api/v1', api);

  // The web console (server-rendered pages, session cookie) and, behind its sign-in, the queues' dashboard.
  app.use('/app', consoleRouter(container));
  app.use(QUEUES_BASE_PATH, queuesDashboard(container));

  app.use(notFoundHandler);
  app.use(errorHandler(container.logger));
  return app;
}

/** TRUST_PROXY: "false", a hop count, or addresses/subnets as Express understands them ("true" is refused by the env schema). */
function parseTrustProxy(value: string): boolean | number | string {
  if (value === 'false') return false;
  if (/^\d+$/.test(value)) return Number(value);
  return value;
}

import express from 'express';
import type { Container } from '../container';
import { requireApiKey } from './middleware/auth';
import { errorHandler, notFoundHandler } from './middleware/error-handler';
import { JSON_BODY_TYPES, requireJsonBody } from './middleware/require-json';
import { accountRoutes } from './routes/accounts';
import { assetRoutes } from './routes/assets';
import { contactRoutes } from './routes/contacts';
import { eventRoutes } from './routes/events';
import { healthRoutes } from './routes/health';
import { runRoutes } from './routes/runs';
import { workflowRoutes } from './routes/workflows';

/** The HTTP app, without listening: main.ts listens, tests drive it with supertest. */
export function createApp(container: Container): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', parseTrustProxy(container.config.TRUST_PROXY));

  app.use(healthRoutes(container));
  app.use(assetRoutes());
  // Public pages (no API key) are mounted here: /u (unsubscribe), /book, /c.

  const api = express.Router();
  api.use(requireJsonBody());
  api.use(express.json({ limit: '1mb', type: JSON_BODY_TYPES }));
  api.use(requireApiKey(container.db));
  api.use(accountRoutes(container));
  api.use(contactRoutes(container));
  api.use(eventRoutes(container));
  api.use(workflowRoutes(container));
  api.use(runRoutes(container));
  app.use('/api/v1', api);

  app.use(notFoundHandler);
  app.use(errorHandler(container.logger));
  return app;
}

/** TRUST_PROXY: "true"/"false", a hop count, or addresses/subnets as Express understands them. */
function parseTrustProxy(value: string): boolean | number | string {
  if (value === 'true') return true;
  if (value === 'false') return false;
  if (/^\d+$/.test(value)) return Number(value);
  return value;
}

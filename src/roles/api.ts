import type { Server } from 'node:http';
import { startApiKeyCache } from '../accounts/api-key-cache';
import type { Container } from '../container';
import { createApp } from './http-app';

export interface RunningApi {
  server: Server;
  /** Stops listening, waits for the requests in flight, then ends the key cache's connection. */
  close(): Promise<void>;
}

/**
 * The API role (`--role api`, and `all`): the HTTP API, the public pages and the console on PORT,
 * with its memory of live API keys (API_KEY_CACHE_MS, src/accounts/api-key-cache.ts).
 */
export function startApi(c: Container): RunningApi {
  const keys = startApiKeyCache(c.config.DATABASE_URL, c.logger, { ttlMs: c.config.API_KEY_CACHE_MS });
  const app = createApp(c, { apiKeyCache: keys.cache });
  const server = app.listen(c.config.PORT, () => {
    c.logger.info({ port: c.config.PORT, url: c.config.PUBLIC_URL }, `Linkflow listening on ${c.config.PUBLIC_URL}`);
  });
  return {
    server,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await keys.close();
    },
  };
}

import type { Server } from 'node:http';
import type { Container } from '../container';
import { createApp } from './http-app';

/** The API role (`--role api`, and `all`): the HTTP API, the public pages and the console on PORT. */
export function startApi(c: Container): Server {
  const app = createApp(c);
  return app.listen(c.config.PORT, () => {
    c.logger.info({ port: c.config.PORT, url: c.config.PUBLIC_URL }, `Linkflow listening on ${c.config.PUBLIC_URL}`);
  });
}

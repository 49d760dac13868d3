/**
 * The webhook steps' target: a local HTTP server that answers 200 at once and only counts, so that
 * tens of thousands of calls cost the bench next to nothing (the test capture server keeps every body).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface WebhookSink {
  url: string;
  /** Requests received so far, all of them or those whose path starts with `prefix`. */
  count(prefix?: string): number;
  close(): Promise<void>;
}

export async function startWebhookSink(): Promise<WebhookSink> {
  let received = 0;
  const byPath = new Map<string, number>();
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received++;
      const path = req.url ?? '';
      byPath.set(path, (byPath.get(path) ?? 0) + 1);
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '11' });
      res.end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    count: (prefix) =>
      prefix === undefined
        ? received
        : [...byPath].filter(([path]) => path.startsWith(prefix)).reduce((sum, [, n]) => sum + n, 0),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

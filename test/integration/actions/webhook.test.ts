import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ActionDeps } from '../../../src/actions/action-deps';
import { webhookAction } from '../../../src/actions/webhook';
import type { WebhookConfig } from '../../../src/definition/steps/webhook';
import { createEgressGuard } from '../../../src/lib/egress/egress-guard';
import { NonRetryableError, RetryableError } from '../../../src/lib/step-errors';
import { actionContext } from '../../unit/actions/action-context';

interface Captured {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A local HTTP server that records each request and answers with whatever `respond` says. */
function captureServer() {
  const requests: Captured[] = [];
  let respond: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.end('ok');
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      requests.push({
        method: req.method!,
        url: req.url!,
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
      });
      respond(req, res);
    });
  });
  return {
    requests,
    respondWith: (handler: typeof respond) => (respond = handler),
    start: () =>
      new Promise<string>((resolve) =>
        server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)),
      ),
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const context = {
  contact: { id: 'c-42', firstName: 'Ada', email: 'ada@example.com', tags: ['vip'] },
  trigger: { type: 'manual', data: { plan: 'pro' } },
};

// The guard as tests and the bench run it: on, with the loopback sinks allowed by name.
const egress = createEgressGuard({ allowedHosts: ['127.0.0.1'] });
const deps = { egress } as ActionDeps;

const call = (input: Record<string, unknown>) =>
  webhookAction.execute(
    actionContext<WebhookConfig>({ config: webhookAction.configSchema.parse(input), context, deps }),
  );

describe('the webhook action', () => {
  const server = captureServer();
  let base: string;
  beforeAll(async () => {
    base = await server.start();
  });
  afterAll(async () => {
    await egress.close();
    await server.stop();
  });
  beforeEach(() => {
    server.requests.length = 0;
    server.respondWith((_req, res) => res.end('ok'));
  });

  it('sends the method, the rendered url, headers and body, and the idempotency key', async () => {
    const outcome = await call({
      url: `${base}/contacts/{{contact.id}}?plan={{trigger.data.plan}}`,
      method: 'PATCH',
      headers: { 'X-Contact': '{{contact.email}}' },
      body: { name: 'Hi {{contact.firstName}}', tags: ['{{contact.tags.[0]}}', 7], nested: { ok: true } },
    });
    expect(outcome).toEqual({ kind: 'completed', output: { status: 200, body: 'ok' } });
    const [request] = server.requests;
    expect(request?.method).toBe('PATCH');
    expect(request?.url).toBe('/contacts/c-42?plan=pro');
    expect(request?.headers['x-contact']).toBe('ada@example.com');
    expect(request?.headers['idempotency-key']).toBe('r1:step1');
    expect(request?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request!.body)).toEqual({ name: 'Hi Ada', tags: ['vip', 7], nested: { ok: true } });
  });

  it('sends the same idempotency key as the step context says, and no body when there is none', async () => {
    const ctx = actionContext<WebhookConfig>({
      config: webhookAction.configSchema.parse({ url: base, method: 'GET' }),
      context,
      deps,
    });
    ctx.idempotencyKey = 'run-7:notify';
    await webhookAction.execute(ctx);
    expect(server.requests[0]?.headers['idempotency-key']).toBe('run-7:notify');
    expect(server.requests[0]?.headers['content-type']).toBeUndefined();
    expect(server.requests[0]?.body).toBe('');
  });

  it('parses a JSON response into the output', async () => {
    server.respondWith((_req, res) => {
      res.writeHead(201, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify({ id: 'deal-1', amount: 10 }));
    });
    expect(await call({ url: base, body: {} })).toEqual({
      kind: 'completed',
      output: { status: 201, body: { id: 'deal-1', amount: 10 } },
    });
  });

  it('keeps at most 64 KB of a response', async () => {
    server.respondWith((_req, res) => res.end('x'.repeat(200_000)));
    const outcome = await call({ url: base });
    expect((outcome as { output: { body: string } }).output.body).toHaveLength(64 * 1024);
  });

  it('completes on a redirect without following it', async () => {
    server.respondWith((_req, res) => {
      res.writeHead(302, { location: 'http://127.0.0.1:1/elsewhere' });
      res.end();
    });
    expect(await call({ url: base })).toMatchObject({ kind: 'completed', output: { status: 302 } });
    expect(server.requests).toHaveLength(1);
  });

  it('retries on a 500', async () => {
    server.respondWith((_req, res) => {
      res.writeHead(500);
      res.end('database down');
    });
    const error = await call({ url: base }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RetryableError);
    expect((error as Error).message).toBe('HTTP 500: database down');
  });

  it('retries on a 429', async () => {
    server.respondWith((_req, res) => {
      res.writeHead(429);
      res.end();
    });
    await expect(call({ url: base })).rejects.toBeInstanceOf(RetryableError);
  });

  it('fails without retry on a 404, with the start of the body', async () => {
    server.respondWith((_req, res) => {
      res.writeHead(404);
      res.end(`no such hook ${'y'.repeat(500)}`);
    });
    const error = await call({ url: base }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NonRetryableError);
    expect((error as Error).message).toBe(`HTTP 404: no such hook ${'y'.repeat(200 - 'no such hook '.length)}`);
  });

  it('retries when the server does not answer within timeoutMs', async () => {
    server.respondWith(() => undefined);
    const started = Date.now();
    await expect(call({ url: base, timeoutMs: 200 })).rejects.toBeInstanceOf(RetryableError);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('retries when nothing listens', async () => {
    await expect(call({ url: 'http://127.0.0.1:1/' })).rejects.toBeInstanceOf(RetryableError);
  });

  it('fails without retry when the url does not render to http(s)', async () => {
    await expect(call({ url: 'ftp://example.com/{{contact.id}}' })).rejects.toBeInstanceOf(NonRetryableError);
    await expect(call({ url: '{{contact.missing}}' })).rejects.toBeInstanceOf(NonRetryableError);
    expect(server.requests).toHaveLength(0);
  });
});

import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ActionDeps } from '../../../src/actions/action-deps';
import { webhookAction } from '../../../src/actions/webhook';
import type { WebhookConfig } from '../../../src/definition/steps/webhook';
import { createEgressGuard, type EgressGuard, type EgressGuardOptions } from '../../../src/lib/egress/egress-guard';
import { EgressRefusedError } from '../../../src/lib/egress/egress-refused-error';
import type { Resolver } from '../../../src/lib/egress/guarded-lookup';
import { NonRetryableError } from '../../../src/lib/step-errors';
import { actionContext } from '../../unit/actions/action-context';

/** A loopback HTTP server that counts requests, answers with a secret, and closes every connection. */
async function startSink(
  respond: (res: import('node:http').ServerResponse) => void = (res) => res.end('SECRET-INSTANCE-CREDENTIALS'),
) {
  const requests: { url: string; headers: IncomingHttpHeaders }[] = [];
  const server: Server = createServer((req, res) => {
    requests.push({ url: req.url ?? '', headers: req.headers });
    // A new connection (and so a new lookup) for every request: rebinding is played per connection.
    res.setHeader('connection', 'close');
    respond(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
type Sink = Awaited<ReturnType<typeof startSink>>;

const guards: EgressGuard[] = [];
function guard(options: EgressGuardOptions): EgressGuard {
  const created = createEgressGuard(options);
  guards.push(created);
  return created;
}

const call = (egress: EgressGuard, input: Record<string, unknown>) =>
  webhookAction.execute(
    actionContext<WebhookConfig>({ config: webhookAction.configSchema.parse(input), deps: { egress } as ActionDeps }),
  );

const failureOf = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );

/** Each hostname maps to the addresses listed, in turn per call (the last list repeats). */
function scriptedResolver(script: Record<string, string[][]>): Resolver & { calls: string[] } {
  const calls: string[] = [];
  const resolve = async (hostname: string) => {
    const turns = script[hostname] ?? [];
    const addresses = turns[Math.min(calls.filter((name) => name === hostname).length, turns.length - 1)] ?? [];
    calls.push(hostname);
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  return Object.assign(resolve, { calls });
}

describe('the webhook egress guard', () => {
  let sink: Sink;
  beforeAll(async () => {
    sink = await startSink();
  });
  afterAll(async () => {
    await Promise.all(guards.map((g) => g.close()));
    await sink.close();
  });
  beforeEach(() => {
    sink.requests.length = 0;
  });

  it('fails a call to a loopback address without retry, saying why, and never connects', async () => {
    const error = await failureOf(call(guard({}), { url: `http://127.0.0.1:${sink.port}/latest` }));
    expect(error).toBeInstanceOf(NonRetryableError);
    expect((error as Error).cause).toBeInstanceOf(EgressRefusedError);
    expect((error as Error).cause).toMatchObject({ host: '127.0.0.1', range: 'loopback' });
    expect((error as Error).message).toContain('WEBHOOK_ALLOWED_HOSTS');
    expect((error as Error).message).not.toContain('SECRET');
    expect(sink.requests).toHaveLength(0);
  });

  it('fails a call to the cloud metadata address at once, without retry', async () => {
    const error = await failureOf(
      call(guard({}), {
        url: 'http://169.254.169.254/latest/api/token',
        method: 'PUT',
        timeoutMs: 500,
        headers: { 'X-aws-ec2-metadata-token-ttl-seconds': '21600' },
      }),
    );
    expect(error).toBeInstanceOf(NonRetryableError);
    expect((error as Error).cause).toMatchObject({ address: '169.254.169.254', range: 'linkLocal' });
  });

  it.each(['2130706433', '0x7f.1', '017700000001', '127.1', '[::ffff:127.0.0.1]', '[::1]', '[64:ff9b::7f00:1]'])(
    'refuses the numeric host form %s like its dotted form',
    async (host) => {
      const error = await failureOf(call(guard({}), { url: `http://${host}:${sink.port}/` }));
      expect(error).toBeInstanceOf(NonRetryableError);
      expect((error as Error).cause).toMatchObject({ range: 'loopback' });
      expect(sink.requests).toHaveLength(0);
    },
  );

  it('refuses localhost, which resolves to loopback', async () => {
    const error = await failureOf(call(guard({}), { url: `http://localhost:${sink.port}/` }));
    expect((error as Error).cause).toMatchObject({ host: 'localhost', range: 'loopback' });
    expect(sink.requests).toHaveLength(0);
  });

  it('refuses a name that resolves to a private address, with the resolved address in the reason', async () => {
    const resolve = scriptedResolver({ 'crm.example.test': [['10.0.0.5']] });
    const error = await failureOf(call(guard({ resolve }), { url: 'http://crm.example.test/hook' }));
    expect(error).toBeInstanceOf(NonRetryableError);
    expect((error as Error).cause).toMatchObject({ host: 'crm.example.test', address: '10.0.0.5', range: 'private' });
  });

  describe('against DNS rebinding', () => {
    it('connects to the address it checked, with no second lookup, and checks every new connection again', async () => {
      // The first answer is allowed (the sink's address), every later one is private.
      const resolve = scriptedResolver({ 'rebind.test': [['127.0.0.1'], ['10.0.0.5']] });
      const egress = guard({ resolve, allowedHosts: ['127.0.0.1/32'] });
      expect(await call(egress, { url: `http://rebind.test:${sink.port}/first` })).toMatchObject({
        kind: 'completed',
        output: { status: 200 },
      });
      // One lookup served the connection: had anything looked the name up again, it would have found nothing (.test).
      expect(resolve.calls).toEqual(['rebind.test']);
      expect(sink.requests).toEqual([
        expect.objectContaining({
          url: '/first',
          headers: expect.objectContaining({ host: `rebind.test:${sink.port}` }),
        }),
      ]);

      const error = await failureOf(call(egress, { url: `http://rebind.test:${sink.port}/second` }));
      expect(error).toBeInstanceOf(NonRetryableError);
      expect((error as Error).cause).toMatchObject({ address: '10.0.0.5', range: 'private' });
      expect(resolve.calls).toEqual(['rebind.test', 'rebind.test']);
      expect(sink.requests).toHaveLength(1);
    });

    it('refuses an answer with several addresses when any one of them is internal', async () => {
      const resolve = scriptedResolver({ 'mixed.test': [['127.0.0.1', '169.254.169.254']] });
      const error = await failureOf(
        call(guard({ resolve, allowedHosts: ['127.0.0.1/32'] }), { url: `http://mixed.test:${sink.port}/` }),
      );
      expect((error as Error).cause).toMatchObject({ address: '169.254.169.254', range: 'linkLocal' });
      expect(sink.requests).toHaveLength(0);
    });
  });

  describe('allowing internal targets', () => {
    it('allows a loopback sink named in WEBHOOK_ALLOWED_HOSTS by its IP', async () => {
      expect(
        await call(guard({ allowedHosts: ['127.0.0.1'] }), { url: `http://127.0.0.1:${sink.port}/` }),
      ).toMatchObject({ kind: 'completed' });
      expect(sink.requests).toHaveLength(1);
    });

    it('allows a loopback sink inside an allowed CIDR', async () => {
      expect(
        await call(guard({ allowedHosts: ['127.0.0.0/8'] }), { url: `http://127.0.0.1:${sink.port}/` }),
      ).toMatchObject({ kind: 'completed' });
      expect(sink.requests).toHaveLength(1);
    });

    it('allows an internal name in WEBHOOK_ALLOWED_HOSTS, whatever it resolves to', async () => {
      const resolve = scriptedResolver({ 'hooks.internal': [['127.0.0.1']] });
      expect(
        await call(guard({ resolve, allowedHosts: ['hooks.internal'] }), {
          url: `http://hooks.internal:${sink.port}/`,
        }),
      ).toMatchObject({ kind: 'completed' });
      expect(sink.requests).toHaveLength(1);
    });

    it('allows everything when WEBHOOK_ALLOW_PRIVATE_NETWORKS is on', async () => {
      expect(
        await call(guard({ allowPrivateNetworks: true }), { url: `http://127.0.0.1:${sink.port}/` }),
      ).toMatchObject({ kind: 'completed' });
      expect(sink.requests).toHaveLength(1);
    });
  });

  describe('redirects', () => {
    let redirector: Sink;
    const location = { value: '' };
    beforeAll(async () => {
      redirector = await startSink((res) => {
        res.writeHead(302, { location: location.value });
        res.end();
      });
    });
    afterAll(() => redirector.close());

    it.each([
      ['an allowed sink', () => `http://127.0.0.1:${sink.port}/followed`],
      ['the metadata address', () => 'http://169.254.169.254/latest/meta-data/'],
    ])('completes on a 3xx without fetching its Location (%s)', async (_name, target) => {
      location.value = target();
      const outcome = await call(guard({ allowedHosts: ['127.0.0.1'] }), {
        url: `http://127.0.0.1:${redirector.port}/start`,
      });
      expect(outcome).toMatchObject({ kind: 'completed', output: { status: 302 } });
      expect(redirector.requests).toHaveLength(1);
      expect(sink.requests).toHaveLength(0);
      redirector.requests.length = 0;
    });
  });
});

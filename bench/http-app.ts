/**
 * The started app the over-HTTP paths drive: an `--role api` and an `--role worker` child process
 * on the bench's database and private Redis, an account with an API key, the webhook sink, and the
 * 4-step workflow that a contact's `bench` tag starts (add_tag → update_contact → webhook → end).
 */
import { randomBytes } from 'node:crypto';
import { startAppProcess, type AppProcess } from './app-processes';
import type { BenchContext } from './bench-context';
import { settings } from './bench-context';
import { jsonClient } from './http-load';
import { startWebhookSink, type WebhookSink } from './webhook-sink';
import { freePort } from '../test/helpers/free-port';
import { createTestAccount } from '../test/helpers/test-env';

export const RUN_TAG = 'bench';

/**
 * The outbox relay's LISTEN connection commits a read-only transaction per batch of notifications
 * and publishes those counts to pg_stat_database once, 10 s after it LISTENs, then only when it
 * closes. Windows open after that once, so that none of them gets a lump of earlier reads.
 */
export const LISTEN_FLUSH_MS = 11_000;

export interface HttpApp extends BenchContext {
  base: string;
  apiKey: string;
  accountId: string;
  api: AppProcess;
  worker: AppProcess;
  sink: WebhookSink;
  /** The uuid of the 4-step workflow. */
  runWorkflowId: string;
  /** Creates a workflow over the API; returns its uuid. */
  createWorkflow(definition: unknown): Promise<string>;
  /** Resolves 11 s after the worker started: see LISTEN_FLUSH_MS. Await it before the first window. */
  listenerFlushed(): Promise<void>;
  stop(): Promise<void>;
}

export async function startHttpApp(context: BenchContext): Promise<HttpApp> {
  const { accountId, apiKey } = await createTestAccount(context.env.container, { name: 'Bench over HTTP' });
  const port = await freePort();
  const childEnv = {
    ...context.env.env,
    NODE_ENV: 'production',
    PORT: String(port),
    // The default account's key: set, so that none is generated and printed into the log.
    API_KEY: `lf_${randomBytes(24).toString('hex')}`,
    WORKER_CONCURRENCY: String(settings.concurrency),
    ...(settings.campaignConcurrency === undefined ? {} : { CAMPAIGN_CONCURRENCY: settings.campaignConcurrency }),
    // The public rate limit as deployed (its default budget, counted per visitor): the bookings
    // name their visitor in X-Forwarded-For (booking-http.ts), as a proxy in front of the app would.
    TRUST_PROXY: '1',
  };
  const [api, worker] = await Promise.all([startAppProcess('api', childEnv), startAppProcess('worker', childEnv)]);
  const workerReady = performance.now();
  context.meter.participants.push({ name: 'api', sample: api.sample }, { name: 'worker', sample: worker.sample });
  const base = `http://127.0.0.1:${port}`;
  const sink = await startWebhookSink();
  const admin = jsonClient(base, { connections: 1, apiKey });
  const createWorkflow = async (definition: unknown) => {
    const { status, body } = await admin.post('/api/v1/workflows', definition);
    if (status !== 201) throw new Error(`creating a workflow answered ${status}: ${JSON.stringify(body)}`);
    return (body as { id: string }).id;
  };
  const runWorkflowId = await createWorkflow({
    id: 'bench-http',
    name: 'Bench over HTTP',
    trigger: { type: 'contact.tag_added', tag: RUN_TAG },
    steps: [
      { id: 'tag', type: 'add_tag', tag: 'benched' },
      { id: 'save', type: 'update_contact', set: { 'customFields.stage': 'benched' } },
      { id: 'hook', type: 'webhook', url: `${sink.url}/hook`, body: { email: '{{contact.email}}' } },
      { id: 'end', type: 'end' },
    ],
  });
  return {
    ...context,
    base,
    apiKey,
    accountId,
    api,
    worker,
    sink,
    runWorkflowId,
    createWorkflow,
    listenerFlushed: () =>
      new Promise((resolve) => setTimeout(resolve, Math.max(0, workerReady + LISTEN_FLUSH_MS - performance.now()))),
    async stop() {
      await admin.close();
      await Promise.all([api.stop(), worker.stop()]);
      await sink.close();
    },
  };
}

/** Runs of `workflowId` that have finished (completed or failed), by the bench's own look-up. */
export async function finishedRuns(app: HttpApp, workflowId: string): Promise<number> {
  const rows = await app.control.rows<{ n: string }>(
    `SELECT count(*) AS n FROM runs WHERE workflow_id = $1 AND status IN ('completed', 'failed')`,
    [workflowId],
  );
  return Number(rows[0]!.n);
}

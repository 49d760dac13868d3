/**
 * (c) A campaign: `POST /api/v1/workflows/:id/runs {"tag"}` over N tagged contacts, 3 steps ending
 * in a webhook; runs/s from the POST to the last run finished, and the worker's peak RSS.
 * (f) Fairness, in the same window: while the campaign drains, one contact every second gets the
 * `bench` tag over HTTP (the 4-step workflow of (a)); their latency, POST sent → run finished.
 * The probes' 50 runs are counted in the campaign's cost (≤ 0.25 % of its runs at the default size).
 */
import { settings, waitForProgress, type PathResult } from './bench-context';
import { epochMs, jsonClient, latenciesOf } from './http-load';
import { finishedRuns, RUN_TAG, type HttpApp } from './http-app';
import { runLatencies } from './http-runs';

const CAMPAIGN_TAG = 'campaign';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Samples `sample()` every 250 ms; `stop()` returns the largest value seen. */
function peakOf(sample: () => Promise<number>): { stop: () => Promise<number> } {
  let peak = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      peak = Math.max(peak, await sample());
      await sleep(250);
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return Math.max(peak, await sample());
    },
  };
}

export async function benchCampaign(app: HttpApp): Promise<PathResult[]> {
  const count = settings.campaign;
  // Setup, not measured: the audience straight into the table, and the statistics autovacuum would keep.
  await app.env.container.db.query(
    `INSERT INTO contacts (account_id, email, tags)
     SELECT $1, 'campaign' || g || '@example.com', ARRAY[$3] FROM generate_series(1, $2::int) g`,
    [app.accountId, count, CAMPAIGN_TAG],
  );
  await app.env.container.db.query('ANALYZE');
  const workflowId = await app.createWorkflow({
    id: 'bench-campaign',
    name: 'Bench campaign',
    trigger: { type: 'manual' },
    steps: [
      { id: 'tag', type: 'add_tag', tag: 'campaigned' },
      { id: 'save', type: 'update_contact', set: { 'customFields.wave': '1' } },
      { id: 'hook', type: 'webhook', url: `${app.sink.url}/campaign`, body: { email: '{{contact.email}}' } },
    ],
  });
  const client = jsonClient(app.base, { connections: 4, apiKey: app.apiKey });
  const rssBefore = (await app.worker.sample()).rssBytes;
  const rss = peakOf(async () => (await app.worker.sample()).rssBytes);

  const window = await app.meter.begin();
  const started = performance.now();
  const { status, body } = await client.post(`/api/v1/workflows/${workflowId}/runs`, { tag: CAMPAIGN_TAG });
  if (status !== 202) throw new Error(`starting the campaign answered ${status}: ${JSON.stringify(body)}`);

  const probeSentAt = new Map<string, number>();
  let draining = true;
  const probes = (async () => {
    for (let i = 0; i < settings.fairnessProbes && draining; i++) {
      await sleep(settings.fairnessIntervalMs);
      const email = `fair${i}@example.com`;
      probeSentAt.set(email, epochMs());
      await client.post('/api/v1/contacts', { email, tags: [RUN_TAG] });
    }
  })();

  await waitForProgress(() => app.sink.count('/campaign'), count, { what: 'webhooks of the campaign', intervalMs: 50 });
  await waitForProgress(() => finishedRuns(app, workflowId), count, { what: 'campaign runs', intervalMs: 50 });
  const seconds = (performance.now() - started) / 1000;
  draining = false;
  await probes;
  const probeLatencies = async () => runLatencies(app, app.runWorkflowId, probeSentAt);
  await waitForProgress(async () => (await probeLatencies()).length, probeSentAt.size, {
    what: 'fairness probes',
    intervalMs: 100,
  });
  const peakRss = await rss.stop();
  const cost = await app.meter.end(window, count);
  await client.close();
  const fairness = latenciesOf(await probeLatencies());
  const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);
  return [
    {
      key: 'c',
      path: `campaign POST /workflows/:id/runs {"tag"} over ${count} contacts, 3 steps ending in a webhook`,
      unit: 'run',
      count,
      throughput: { perSec: count / seconds, label: 'runs/s' },
      cost,
      appProcesses: ['api', 'worker'],
      notes: [`worker RSS ${mb(rssBefore)} MB before, peak ${mb(peakRss)} MB during the campaign`],
      target: '≥ 800 runs/s, peak RSS ≤ 300 MB',
    },
    {
      key: 'f',
      path: `fairness: one contact's 4-step run every ${settings.fairnessIntervalMs} ms while the ${count}-contact campaign drains`,
      unit: 'run',
      count: probeSentAt.size,
      latency: { ...fairness, label: 'POST sent → run finished' },
      appProcesses: ['api', 'worker'],
      notes: [`${probeSentAt.size} probes before the campaign finished (${settings.fairnessProbes} at most)`],
      target: 'p99 ≤ 2 s',
    },
  ];
}

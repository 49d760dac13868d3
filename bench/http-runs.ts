/**
 * Runs started over HTTP against the started app: (a) many contacts created at once by
 * `POST /api/v1/contacts` on 32 connections, each starting the 4-step workflow; (g) one contact at a
 * time on an idle engine; and the app's own cost while it does nothing (polls and timers).
 * Latency is from the moment the POST was sent to the run's `finished_at` (one clock: same machine).
 */
import { settings, waitForProgress, type PathResult } from './bench-context';
import { closedLoop, epochMs, jsonClient, latenciesOf } from './http-load';
import { finishedRuns, RUN_TAG, type HttpApp } from './http-app';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Latency of each run of `workflowId` whose contact's email is in `sentAt`, POST sent → run finished. */
export async function runLatencies(app: HttpApp, workflowId: string, sentAt: Map<string, number>): Promise<number[]> {
  const rows = await app.control.rows<{ email: string; finished_ms: string | null }>(
    `SELECT c.email, extract(epoch FROM r.finished_at) * 1000 AS finished_ms
     FROM runs r JOIN contacts c ON c.id = r.contact_id
     WHERE r.workflow_id = $1 AND c.email = ANY($2::text[])`,
    [workflowId, [...sentAt.keys()]],
  );
  return rows.filter((row) => row.finished_ms !== null).map((row) => Number(row.finished_ms) - sentAt.get(row.email)!);
}

/** (a) N contacts over HTTP, closed loop on 32 connections; runs/s from the first POST to the last run finished. */
export async function benchRunsOverHttp(app: HttpApp): Promise<{ result: PathResult; profiles: string[] }> {
  const count = settings.httpContacts;
  const client = jsonClient(app.base, { connections: settings.httpConnections, apiKey: app.apiKey });
  const sentAt = new Map<string, number>();
  let refused = 0;
  const finishedBefore = await finishedRuns(app, app.runWorkflowId);
  const sinkBefore = app.sink.count();
  const window = await app.meter.begin();
  if (settings.profile) await Promise.all([app.api.startProfile(), app.worker.startProfile()]);
  const started = performance.now();
  const posts = await closedLoop(count, settings.httpConnections, async (i) => {
    const email = `http${i}@example.com`;
    sentAt.set(email, epochMs());
    const { status } = await client.post('/api/v1/contacts', { email, tags: [RUN_TAG] });
    if (status !== 201) refused++;
  });
  const expected = count - refused;
  // The sink counts webhooks in memory: the database is asked only once they are all in.
  await waitForProgress(() => app.sink.count() - sinkBefore, expected, { what: 'webhooks of (a)', intervalMs: 50 });
  await waitForProgress(async () => (await finishedRuns(app, app.runWorkflowId)) - finishedBefore, expected, {
    what: 'runs of (a)',
    intervalMs: 20,
  });
  const seconds = (performance.now() - started) / 1000;
  const stopped = await app.meter.quietMark();
  const profiles: string[] = [];
  if (settings.profile) {
    for (const child of [app.api, app.worker]) {
      const file = `/tmp/linkflow-bench-${child.role}-${child.pid}.cpuprofile`;
      await child.stopProfile(file);
      profiles.push(file);
    }
  }
  const cost = await app.meter.end(window, expected, stopped);
  await client.close();
  const latency = latenciesOf(await runLatencies(app, app.runWorkflowId, sentAt));
  const post = latenciesOf(posts.latencies);
  const failed = await app.control.rows<{ n: string }>(
    `SELECT count(*) AS n FROM runs WHERE workflow_id = $1 AND status = 'failed'`,
    [app.runWorkflowId],
  );
  return {
    profiles,
    result: {
      key: 'a',
      path: `4-step run, ${count} contacts over HTTP (POST /contacts, ${settings.httpConnections} conn.), api + worker processes`,
      unit: 'run',
      count: expected,
      throughput: { perSec: expected / seconds, label: 'runs/s' },
      latency: { ...latency, label: 'POST sent → run finished' },
      cost,
      appProcesses: ['api', 'worker'],
      notes: [
        `POST /contacts: ${(count / posts.seconds).toFixed(0)}/s accepted, latency p50 ${post.p50.toFixed(1)} ms, p99 ${post.p99.toFixed(1)} ms; not 201: ${refused}; runs failed: ${failed[0]!.n}`,
        ...(settings.profile ? ['CPU profiler on in both processes: figures are lower than without'] : []),
      ],
      target: '≥ 500 runs/s; ≤ 1.5 ms CPU, ≤ 3 commits, ≤ 60 Redis cmds per run',
    },
  };
}

/** One contact, POST → its run finished, polled by the bench every 5 ms (latency is from finished_at). */
async function oneRun(
  app: HttpApp,
  post: ReturnType<typeof jsonClient>['post'],
  email: string,
): Promise<{ latency: number; sent: number; answered: number; contactId: string }> {
  const sent = epochMs();
  const { status, body } = await post('/api/v1/contacts', { email, tags: [RUN_TAG] });
  const answered = epochMs();
  if (status !== 201) throw new Error(`POST /contacts answered ${status}`);
  const contactId = (body as { id: string }).id;
  for (;;) {
    const rows = await app.control.rows<{ status: string; finished_ms: string | null }>(
      `SELECT status, extract(epoch FROM finished_at) * 1000 AS finished_ms FROM runs WHERE contact_id = $1`,
      [contactId],
    );
    if (rows[0]?.finished_ms) return { latency: Number(rows[0].finished_ms) - sent, sent, answered, contactId };
    if (epochMs() - sent > 30_000) throw new Error(`the run of ${email} did not finish in 30 s`);
    await sleep(5);
  }
}

/**
 * Where an idle run's time goes: the median moment (ms after the POST was sent) at which each hop was
 * reached, read from the rows' own timestamps (now() of the statement's transaction, one clock).
 */
async function idleHops(app: HttpApp, runs: { sent: number; answered: number; contactId: string }[]): Promise<string> {
  const rows = await app.control.rows<{ contact_id: string; hop: string; at_ms: string }>(
    `SELECT c.id AS contact_id, 'contact inserted' AS hop, extract(epoch FROM c.created_at) * 1000 AS at_ms
       FROM contacts c WHERE c.id = ANY($1::uuid[])
     UNION ALL
     SELECT o.contact_id, 'event claimed by the relay', min(extract(epoch FROM o.published_at) * 1000)
       FROM outbox_events o WHERE o.contact_id = ANY($1::uuid[]) GROUP BY o.contact_id
     UNION ALL
     SELECT r.contact_id, 'run enrolled', extract(epoch FROM r.started_at) * 1000 FROM runs r WHERE r.contact_id = ANY($1::uuid[])
     UNION ALL
     SELECT r.contact_id, 'step ' || s.step_id || ' opened', extract(epoch FROM s.started_at) * 1000
       FROM runs r JOIN run_steps s ON s.run_id = r.id WHERE r.contact_id = ANY($1::uuid[])
     UNION ALL
     SELECT r.contact_id, 'step ' || s.step_id || ' finished', extract(epoch FROM s.finished_at) * 1000
       FROM runs r JOIN run_steps s ON s.run_id = r.id WHERE r.contact_id = ANY($1::uuid[]) AND s.finished_at IS NOT NULL
     UNION ALL
     SELECT r.contact_id, 'run finished', extract(epoch FROM r.finished_at) * 1000 FROM runs r WHERE r.contact_id = ANY($1::uuid[])`,
    [runs.map((run) => run.contactId)],
  );
  const sentOf = new Map(runs.map((run) => [run.contactId, run.sent]));
  const byHop = new Map<string, number[]>([['POST answered', runs.map((run) => run.answered - run.sent)]]);
  for (const row of rows) {
    const list = byHop.get(row.hop) ?? [];
    list.push(Number(row.at_ms) - sentOf.get(row.contact_id)!);
    byHop.set(row.hop, list);
  }
  const median = (list: number[]) => [...list].sort((x, y) => x - y)[Math.floor(list.length / 2)]!;
  return [...byHop]
    .map(([hop, list]) => ({ hop, at: median(list) }))
    .sort((x, y) => x.at - y.at)
    .map(({ hop, at }) => `${hop} ${at.toFixed(1)}`)
    .join(', ');
}

/** (g) One contact at a time on an idle engine (after a warm-up), 100 ms apart. */
export async function benchIdleRuns(app: HttpApp): Promise<PathResult> {
  const client = jsonClient(app.base, { connections: 1, apiKey: app.apiKey });
  for (let i = 0; i < 10; i++) await oneRun(app, client.post, `warm${i}@example.com`);
  const runs: Awaited<ReturnType<typeof oneRun>>[] = [];
  for (let i = 0; i < settings.idleRuns; i++) {
    await sleep(100);
    runs.push(await oneRun(app, client.post, `idle${i}@example.com`));
  }
  await client.close();
  const latencies = runs.map((run) => run.latency);
  return {
    key: 'g',
    path: `one contact at a time on an idle engine, over HTTP (${settings.idleRuns} runs after 10 warm-up)`,
    unit: 'run',
    count: settings.idleRuns,
    latency: { ...latenciesOf(latencies), label: 'POST sent → run finished' },
    appProcesses: ['api', 'worker'],
    notes: [`median ms after the POST was sent: ${await idleHops(app, runs)}`],
    target: '≤ 15 ms p50',
  };
}

/** What the started app costs doing nothing: outbox polls, queue polls, timers; per second. */
export async function benchIdleCost(app: HttpApp): Promise<PathResult> {
  const seconds = settings.quick ? 3 : 10;
  const window = await app.meter.begin();
  await sleep(seconds * 1000);
  const cost = await app.meter.end(window, seconds, await app.meter.mark());
  return {
    key: 'idle',
    path: `the started app idle for ${seconds} s (cost per second, not per run)`,
    unit: 'second',
    count: seconds,
    cost,
    appProcesses: ['api', 'worker'],
    notes: [],
    target: '',
  };
}

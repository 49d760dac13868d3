/**
 * (b) The engine in the bench's own process: N contacts created through the contact service (50 at
 * a time, as POST /contacts creates them: the concurrent ones in one statement) while the workers run the 4-step workflow (tag, webhook, update_contact,
 * end). The bench's process is the app here: its CPU includes creating the contacts.
 */
import { createContact } from '../src/contacts/contact-service';
import { createContactWriteBatch } from '../src/contacts/contact-write-batch';
import { startWorkers } from '../src/roles/worker';
import { createWorkflow } from '../src/workflows/workflow-repository';
import { createTestAccount } from '../test/helpers/test-env';
import { settings, waitForProgress, type BenchContext, type PathResult } from './bench-context';
import { LISTEN_FLUSH_MS } from './http-app';
import { latenciesOf } from './http-load';
import { startWebhookSink } from './webhook-sink';

export async function benchRunsInProcess(context: BenchContext): Promise<PathResult[]> {
  const { container } = context.env;
  const count = settings.inProcessContacts;
  const { accountId } = await createTestAccount(container, { name: 'Bench in process' });
  const sink = await startWebhookSink();
  const workflow = await container.db.transaction((tx) =>
    createWorkflow(
      tx,
      accountId,
      {
        id: 'bench',
        name: 'Bench',
        trigger: { type: 'contact.tag_added', tag: 'bench' },
        steps: [
          { id: 'tag', type: 'add_tag', tag: 'benched' },
          { id: 'hook', type: 'webhook', url: `${sink.url}/sink`, body: { email: '{{contact.email}}' } },
          { id: 'save', type: 'update_contact', set: { 'customFields.hook': '{{steps.hook.status}}' } },
          { id: 'end', type: 'end' },
        ],
      },
      'api',
    ),
  );
  const finished = async () => {
    const rows = await context.control.rows<{ n: string }>(
      `SELECT count(*) AS n FROM runs WHERE workflow_id = $1 AND status IN ('completed', 'failed')`,
      [workflow.id],
    );
    return Number(rows[0]!.n);
  };
  const workers = startWorkers(container);
  const workersStarted = performance.now();

  // First, one contact at a time on an idle engine (after 10 to warm up): the latency a single lead sees.
  const idle: number[] = [];
  for (let i = 0; i < 10 + settings.idleRuns; i++) {
    const contact = await createContact(container.db.manager, accountId, {
      email: `idle${i}@example.com`,
      tags: ['bench'],
    });
    const t0 = performance.now();
    await waitForProgress(
      async () => {
        const rows = await context.control.rows<{ status: string }>('SELECT status FROM runs WHERE contact_id = $1', [
          contact.id,
        ]);
        return rows[0]?.status === 'completed' ? 1 : 0;
      },
      1,
      { what: 'an idle run', intervalMs: 5, stallMs: 30_000 },
    );
    if (i >= 10) idle.push(performance.now() - t0);
  }

  await new Promise((resolve) => setTimeout(resolve, workersStarted + LISTEN_FLUSH_MS - performance.now()));
  const window = await context.meter.begin();
  const started = performance.now();
  let peakRss = process.memoryUsage().rss;
  const rssTimer = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
  // As POST /contacts creates them (src/http/routes/contacts.ts): no transaction around them, the
  // concurrent ones in one statement (the API process's group commit of new contacts).
  const contactWrites = createContactWriteBatch(container.db);
  for (let i = 0; i < count; i += 50) {
    await Promise.all(
      Array.from({ length: Math.min(50, count - i) }, (_, j) =>
        createContact(
          container.db.manager,
          accountId,
          { email: `bench${i + j}@example.com`, tags: ['bench'] },
          { batch: contactWrites },
        ),
      ),
    );
  }
  await waitForProgress(() => sink.count(), count + 10 + settings.idleRuns, {
    what: 'webhooks of (b)',
    intervalMs: 50,
  });
  await waitForProgress(finished, count + 10 + settings.idleRuns, { what: 'runs of (b)', intervalMs: 20 });
  const seconds = (performance.now() - started) / 1000;
  clearInterval(rssTimer);
  const cost = await context.meter.end(window, count);
  const listenerCommits = await context.meter.listenerCommits(() => workers.close());
  await sink.close();
  // Trigger → completion: from the tag_added event's commit to the run's finish.
  const rows = await context.control.rows<{ ms: string }>(
    `SELECT EXTRACT(EPOCH FROM (r.finished_at - e.created_at)) * 1000 AS ms
     FROM runs r JOIN outbox_events e ON e.id = (r.trigger->>'eventId')::bigint
     JOIN contacts c ON c.id = r.contact_id
     WHERE r.workflow_id = $1 AND c.email LIKE 'bench%'`,
    [workflow.id],
  );
  const latency = latenciesOf(rows.map((row) => Number(row.ms)));
  const idleLatency = latenciesOf(idle);
  return [
    {
      key: 'b',
      path: `4-step run, ${count} contacts created in-process (contact service as the API calls it, 50 at a time), one process`,
      unit: 'run',
      count,
      throughput: { perSec: count / seconds, label: 'runs/s' },
      latency: { ...latency, label: 'event committed → run finished' },
      cost,
      appProcesses: ['bench'],
      notes: [
        `one contact at a time, in process: p50 ${idleLatency.p50.toFixed(0)} ms, p99 ${idleLatency.p99.toFixed(0)} ms`,
        `peak RSS of the process ${(peakRss / 1024 / 1024).toFixed(0)} MB`,
        `plus ${(listenerCommits / (count + 10 + settings.idleRuns)).toFixed(1)} commits/run of the outbox relay's LISTEN connection (notification reads, published when it closed; not in the table)`,
      ],
      target: '≥ 700 runs/s',
    },
  ];
}

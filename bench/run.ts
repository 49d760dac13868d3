/**
 * `npm run bench`: throughput and latency of the engine on this machine, against the local Postgres
 * and Redis, in a database and queue prefix of its own (dropped afterwards).
 */
import { Queue, Worker } from 'bullmq';
import { createContact } from '../src/contacts/contact-service';
import { startWorkers } from '../src/roles/worker';
import { createWorkflow } from '../src/workflows/workflow-repository';
import { createRedis } from '../src/queue/redis';
import { createTestAccount, createTestEnv, type TestEnv } from '../test/helpers/test-env';
import { startCaptureServer } from '../test/helpers/capture-server';
import { benchBookings, benchLinkMinting } from './booking';
import { benchEmail } from './email';
import { benchEventCost } from './event-cost';
import { benchTzMemory } from './tz-memory';

const CONTACTS = Number(process.env.BENCH_CONTACTS ?? 5000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 20);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

function trackPeakRss(): { stop: () => number } {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  return {
    stop: () => {
      clearInterval(timer);
      return Math.max(peak, process.memoryUsage().rss);
    },
  };
}

async function benchRuns(
  env: TestEnv,
): Promise<{ runsPerSec: number; p50: number; p99: number; idleP50: number; idleP99: number; peakRssMb: number }> {
  const { container } = env;
  const { accountId } = await createTestAccount(container);
  const sink = await startCaptureServer();
  await container.db.transaction((tx) =>
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
  const rss = trackPeakRss();
  const workers = startWorkers(container);
  const started = Date.now();
  for (let i = 0; i < CONTACTS; i += 50) {
    await Promise.all(
      Array.from({ length: Math.min(50, CONTACTS - i) }, (_, j) =>
        container.db.transaction((tx) =>
          createContact(tx, accountId, { email: `bench${i + j}@example.com`, tags: ['bench'] }),
        ),
      ),
    );
  }
  for (;;) {
    const rows: { count: string }[] = await container.db.query(`SELECT count(*) FROM runs WHERE status = 'completed'`);
    if (Number(rows[0]!.count) >= CONTACTS) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const elapsed = (Date.now() - started) / 1000;

  // One contact at a time on an idle engine: the latency a single lead sees.
  const idle: number[] = [];
  for (let i = 0; i < 30; i++) {
    const contact = await container.db.transaction((tx) =>
      createContact(tx, accountId, { email: `idle${i}@example.com`, tags: ['bench'] }),
    );
    const t0 = Date.now();
    for (;;) {
      const rows: { status: string }[] = await container.db.query('SELECT status FROM runs WHERE contact_id = $1', [
        contact.id,
      ]);
      if (rows[0]?.status === 'completed') break;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    idle.push(Date.now() - t0);
  }
  idle.sort((a, b) => a - b);
  await workers.close();
  const peakRssMb = rss.stop() / 1024 / 1024;
  await sink.close();
  // Trigger → completion: from the tag_added event's commit to the run's finish.
  const latencies: { ms: number }[] = await container.db.query(
    `SELECT EXTRACT(EPOCH FROM (r.finished_at - e.created_at)) * 1000 AS ms
     FROM runs r JOIN outbox_events e ON e.id = (r.trigger->>'eventId')::bigint
     WHERE NOT EXISTS (SELECT 1 FROM contacts c WHERE c.id = r.contact_id AND c.email LIKE 'idle%')`,
  );
  const sorted = latencies.map((row) => Number(row.ms)).sort((a, b) => a - b);
  return {
    runsPerSec: CONTACTS / elapsed,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    idleP50: percentile(idle, 50),
    idleP99: percentile(idle, 99),
    peakRssMb,
  };
}

async function benchBareBullmq(env: TestEnv): Promise<number> {
  const connection = createRedis({ url: env.config.REDIS_URL });
  const prefix = `${env.config.QUEUE_PREFIX}_bare`;
  const queue = new Queue('noop', { connection, prefix });
  const jobs = Array.from({ length: CONTACTS }, (_, i) => ({
    name: 'noop',
    data: { i },
    opts: { removeOnComplete: true },
  }));
  let done = 0;
  let finish: () => void = () => undefined;
  const allDone = new Promise<void>((resolve) => (finish = resolve));
  const worker = new Worker('noop', async () => undefined, {
    connection: createRedis({ url: env.config.REDIS_URL }),
    prefix,
    concurrency: CONCURRENCY,
  });
  worker.on('completed', () => {
    if (++done === CONTACTS) finish();
  });
  const started = Date.now();
  for (let i = 0; i < jobs.length; i += 1000) await queue.addBulk(jobs.slice(i, i + 1000));
  await allDone;
  const perSec = CONTACTS / ((Date.now() - started) / 1000);
  await worker.close();
  await queue.obliterate({ force: true });
  await queue.close();
  connection.disconnect();
  return perSec;
}

async function main(): Promise<void> {
  // The webhook sink is on loopback: allowed by name, so the egress guard stays on and its cost is measured.
  const env = await createTestEnv({
    WORKER_CONCURRENCY: String(CONCURRENCY),
    OUTBOX_POLL_MS: '200',
    WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
  });
  try {
    console.log(`Linkflow bench: ${CONTACTS} contacts, worker concurrency ${CONCURRENCY}, one process\n`);
    const runs = await benchRuns(env);
    const bare = await benchBareBullmq(env);
    const emails = await benchEmail(env);
    const minting = await benchLinkMinting(env);
    const bookings = await benchBookings(env);
    const tzMemory = await benchTzMemory(env);
    const rows: [string, string][] = [
      ['completed runs/s (4-step workflow: tag, webhook, update_contact, end)', runs.runsPerSec.toFixed(1)],
      [
        `trigger → completion p50, all ${CONTACTS} contacts created at once (includes queueing)`,
        `${runs.p50.toFixed(0)} ms`,
      ],
      [
        `trigger → completion p99, all ${CONTACTS} contacts created at once (includes queueing)`,
        `${runs.p99.toFixed(0)} ms`,
      ],
      ['trigger → completion p50, one contact at a time (30 runs)', `${runs.idleP50.toFixed(0)} ms`],
      ['trigger → completion p99, one contact at a time (30 runs)', `${runs.idleP99.toFixed(0)} ms`],
      ['peak RSS during the run benchmark', `${runs.peakRssMb.toFixed(0)} MB`],
      ['bare BullMQ no-op jobs/s (same Redis, same concurrency)', bare.toFixed(0)],
      ['ratio runs/s : bare jobs/s', `1 : ${(bare / runs.runsPerSec).toFixed(1)}`],
      ['emails/s through SMTP to a local sink (send_email, rate limit off)', emails.toFixed(0)],
      ['one-time links minted/s (mint service, 50 concurrent)', minting.linksPerSec.toFixed(0)],
      ['booking POSTs/s (HTTP, 50 concurrent connections, distinct links)', bookings.bookingsPerSec.toFixed(0)],
      ['booking POST latency p50', `${bookings.p50.toFixed(1)} ms`],
      ['booking POST latency p99', `${bookings.p99.toFixed(1)} ms`],
      ['booking POSTs not answered 201 (should be 0)', String(bookings.failures)],
      [
        `public page RSS before → after ${tzMemory.spellings} ?tz= spellings of one zone (child process)`,
        `${tzMemory.rssBeforeMb.toFixed(0)} → ${tzMemory.rssAfterMb.toFixed(0)} MB`,
      ],
    ];
    for (const [label, value] of rows) console.log(`${label.padEnd(72)} ${value}`);
    // Last: it fills the database with 200,000 finished runs.
    console.log('\nper-event cost as finished runs pile up (processEvent, one event at a time)');
    console.log(`${'finished runs'.padEnd(16)}${'ms/event'.padEnd(12)}${'p99 ms'.padEnd(12)}statements/event`);
    for (const row of await benchEventCost(env)) {
      console.log(
        `${String(row.finishedRuns).padEnd(16)}${row.msPerEvent.toFixed(2).padEnd(12)}${row.p99Ms.toFixed(2).padEnd(12)}${row.statementsPerEvent.toFixed(1)}`,
      );
    }
  } finally {
    await env.cleanup();
  }
}

main().then(
  // Exit even if a library keeps a timer or socket alive after everything was closed.
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);

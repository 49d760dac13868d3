import { Counter, Gauge, Registry } from 'prom-client';
import type { Db } from '../db/data-source';
import type { Logger } from '../lib/logger';
import { QUEUE_NAMES } from '../queue/job-catalog';
import type { Queues } from '../queue/queues';
import { processRegistry } from './metrics';

export interface StateMetricsSources {
  db: Db;
  queues: Queues;
  logger: Logger;
}

/** A source that does not answer within this is reported down (`linkflow_metrics_source_up 0`). */
const SOURCE_TIMEOUT_MS = 5000;

const RUN_STATUSES = ['running', 'waiting', 'completed', 'failed', 'cancelled'] as const;
const JOB_STATES = ['waiting', 'active', 'delayed', 'prioritized', 'waiting-children', 'completed', 'failed'] as const;
const LINK_STATUSES = ['active', 'used', 'expired', 'revoked'] as const;
const MESSAGE_CHANNELS = ['email', 'sms'] as const;
const MESSAGE_STATUSES = ['sending', 'sent', 'not_delivered', 'failed', 'skipped'] as const;

/** A waiting run whose timer passed this long ago should have moved on: its timeout job is late or lost. */
const OVERDUE_AFTER = '1 minute';

type Gauges = ReturnType<typeof createGauges>;

/** How often this process counted the shared state: the scrape cache (scrape-cache.ts) keeps it rare. */
const collections = new Counter({
  name: 'linkflow_metrics_state_collections_total',
  help: 'Times this process counted runs, queues, links and messages for /metrics (at most once per cache window)',
  registers: [processRegistry],
});

function createGauges(registry: Registry) {
  const gauge = <L extends string>(name: string, help: string, labelNames: readonly L[]) =>
    new Gauge<L>({ name, help, labelNames, registers: [registry] });
  return {
    runs: gauge(
      'linkflow_runs_total',
      'Runs by workflow id and status, counted in PostgreSQL at scrape time (runs deleted by retention included); status="started" counts every run',
      ['workflow', 'status'],
    ),
    waiting: gauge('linkflow_waiting_runs', 'Runs parked in a wait step, by workflow id', ['workflow']),
    overdue: gauge(
      'linkflow_waiting_runs_overdue',
      `Waiting runs whose timer passed over ${OVERDUE_AFTER} ago (late or lost timeout jobs)`,
      [],
    ),
    queue: gauge('linkflow_queue_jobs', 'BullMQ jobs by queue and state', ['queue', 'state']),
    links: gauge(
      'linkflow_links_total',
      'One-time links: status="minted" counts every link, "redeemed" those used at least once, the rest by current status (links deleted by retention included)',
      ['status'],
    ),
    messages: gauge(
      'linkflow_messages_total',
      'Messages by channel and status (messages deleted by retention included)',
      ['channel', 'status'],
    ),
    up: gauge('linkflow_metrics_source_up', '1 when the source answered this scrape, 0 when it failed or timed out', [
      'source',
    ]),
  };
}

/**
 * Counts, at scrape time, what must be right across every process: runs, waiting runs, queue
 * depths, links and messages, from PostgreSQL and Redis. A source that fails is reported down and
 * leaves the others alone. Tables of modules not migrated yet are skipped.
 */
export async function collectStateMetrics(sources: StateMetricsSources): Promise<Registry> {
  collections.inc();
  const registry = new Registry();
  const gauges = createGauges(registry);
  const collect = async (source: string, task: () => Promise<void>) => {
    try {
      await withTimeout(task(), SOURCE_TIMEOUT_MS);
      gauges.up.set({ source }, 1);
    } catch (error) {
      sources.logger.warn({ source, err: error }, 'metrics source failed');
      gauges.up.set({ source }, 0);
    }
  };
  await Promise.all([
    collect('runs', () => collectRuns(sources.db, gauges)),
    collect('queues', () => collectQueues(sources.queues, gauges)),
    collect('links', () => collectLinks(sources.db, gauges)),
    collect('messages', () => collectMessages(sources.db, gauges)),
  ]);
  return registry;
}

async function collectRuns(db: Db, gauges: Gauges): Promise<void> {
  // Every workflow shows every status from its creation on, so `increase()` sees its first run.
  // Labelled by id, not slug: /metrics may be open, and the slugs of every account are theirs (two
  // accounts may also share a slug). The API and the console map an id to its workflow.
  // Runs the retention job deleted are added back from pruned_totals, in the same statement (one
  // snapshot: a prune commits its delete and its totals together), so no count goes down.
  const rows: { workflow: string; status: string | null; n: number }[] = await db.query(
    `SELECT w.id::text AS workflow, c.status, coalesce(sum(c.n), 0)::float8 AS n
     FROM workflows w LEFT JOIN (
       SELECT workflow_id::text AS workflow, status, count(*) AS n FROM runs GROUP BY workflow_id, status
       UNION ALL
       SELECT label_a, label_b, n FROM pruned_totals WHERE metric = 'runs'
     ) c ON c.workflow = w.id::text
     GROUP BY w.id, c.status`,
  );
  for (const workflow of new Set(rows.map((row) => row.workflow))) {
    for (const status of ['started', ...RUN_STATUSES]) gauges.runs.set({ workflow, status }, 0);
    gauges.waiting.set({ workflow }, 0);
  }
  for (const { workflow, status, n } of rows) {
    if (status === null) continue;
    gauges.runs.inc({ workflow, status }, n);
    gauges.runs.inc({ workflow, status: 'started' }, n);
    if (status === 'waiting') gauges.waiting.inc({ workflow }, n);
  }
  const overdue: { n: number }[] = await db.query(
    `SELECT count(*)::int AS n FROM runs WHERE status = 'waiting' AND wait_until < now() - interval '${OVERDUE_AFTER}'`,
  );
  gauges.overdue.set(overdue[0]?.n ?? 0);
}

async function collectQueues(queues: Queues, gauges: Gauges): Promise<void> {
  await Promise.all(
    QUEUE_NAMES.map(async (name) => {
      const counts = await queues.queue(name).getJobCounts(...JOB_STATES);
      for (const state of JOB_STATES) gauges.queue.set({ queue: name, state }, counts[state] ?? 0);
    }),
  );
}

/** Whether a table exists: the booking and messaging tables arrive with their modules' migrations. */
async function tableExists(db: Db, table: string): Promise<boolean> {
  const rows: { present: boolean }[] = await db.query('SELECT to_regclass($1) IS NOT NULL AS present', [table]);
  return rows[0]?.present === true;
}

async function collectLinks(db: Db, gauges: Gauges): Promise<void> {
  if (!(await tableExists(db, 'one_time_links'))) return;
  // An active link past its time is expired even before the expiry job marks it.
  // Plus the spent links the retention job deleted (pruned_totals), in the same snapshot.
  const rows: { status: string; n: number; redeemed: number }[] = await db.query(
    `SELECT status, sum(n)::float8 AS n, sum(redeemed)::float8 AS redeemed FROM (
       SELECT CASE WHEN status = 'active' AND expires_at <= now() THEN 'expired' ELSE status END AS status,
              count(*) AS n, count(*) FILTER (WHERE uses > 0) AS redeemed
       FROM one_time_links GROUP BY 1
       UNION ALL
       SELECT label_a, n, CASE WHEN label_b = 'redeemed' THEN n ELSE 0 END FROM pruned_totals WHERE metric = 'links'
     ) counted GROUP BY status`,
  );
  for (const status of LINK_STATUSES) gauges.links.set({ status }, 0);
  let minted = 0;
  let redeemed = 0;
  for (const row of rows) {
    gauges.links.set({ status: row.status }, row.n);
    minted += row.n;
    redeemed += row.redeemed;
  }
  gauges.links.set({ status: 'minted' }, minted);
  gauges.links.set({ status: 'redeemed' }, redeemed);
}

async function collectMessages(db: Db, gauges: Gauges): Promise<void> {
  if (!(await tableExists(db, 'messages'))) return;
  // Plus the messages deleted with their runs (pruned_totals), in the same snapshot.
  const rows: { channel: string; status: string; n: number }[] = await db.query(
    `SELECT channel, status, sum(n)::float8 AS n FROM (
       SELECT channel, status, count(*) AS n FROM messages GROUP BY channel, status
       UNION ALL
       SELECT label_a, label_b, n FROM pruned_totals WHERE metric = 'messages'
     ) counted GROUP BY channel, status`,
  );
  for (const channel of MESSAGE_CHANNELS)
    for (const status of MESSAGE_STATUSES) gauges.messages.set({ channel, status }, 0);
  for (const row of rows) gauges.messages.set({ channel: row.channel, status: row.status }, row.n);
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * `npm run bench`: throughput, latency and the cost per unit of work of every path users size a
 * deployment with, on this machine, in a database of its own on the local PostgreSQL and a private
 * redis-server (so Redis's command counts are the bench's alone); both dropped afterwards.
 *
 * In-process paths come first (their workers share the queues with the started app's), then the
 * app is started as an `--role api` and an `--role worker` process and driven over HTTP; the older
 * rows (emails, links, tz memory, per-event cost) come last, unmetered.
 * BENCH_QUICK=1: a tenth of the work. BENCH_FULL=1: the 100,000-contact campaign. BENCH_ONLY=a,c:
 * some paths. BENCH_PROFILE=1: CPU profiles of both processes during (a). See bench/bench-context.ts.
 * To trace the started app: BENCH_CHILD_NODE_OPTIONS (e.g. `--require` of a tracer) and
 * BENCH_CHILD_PGOPTIONS (e.g. `-c log_min_duration_statement=0`: each statement's server time in the
 * PostgreSQL log) are passed to its processes as NODE_OPTIONS and PGOPTIONS.
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { startPrivateRedis } from '../test/helpers/private-redis';
import { createTestEnv } from '../test/helpers/test-env';
import { benchBareBullmq } from './bare-bullmq';
import { connectControl, settings, wanted, type BenchContext, type PathResult } from './bench-context';
import { benchBookingsOpenLoop, benchBookingsOverHttp } from './booking-http';
import { benchCampaign } from './campaign';
import { killAppProcesses } from './app-processes';
import { CostMeter } from './cost-meter';
import { printExtras, runExtras, runHistory } from './extras';
import { startHttpApp } from './http-app';
import { benchIdleCost, benchIdleRuns, benchRunsOverHttp } from './http-runs';
import { benchRunsInProcess } from './in-process-runs';
import { summariseProfileFile } from './profile-summary';
import { preloadHistory } from './history';
import { printReport, writeReport } from './report';

const ORDER = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'idle', 'bare'];
const RESULTS_FILE = process.env.BENCH_RESULTS_FILE ?? path.join(__dirname, 'results', 'latest.json');

async function main(): Promise<void> {
  const redis = await startPrivateRedis();
  // The webhook sink is on loopback: allowed by name, so the egress guard stays on and its cost is measured.
  const env = await createTestEnv({
    REDIS_URL: redis.url,
    WORKER_CONCURRENCY: String(settings.concurrency),
    OUTBOX_POLL_MS: '200',
    WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
    LINK_SECRET: randomBytes(32).toString('hex'),
  });
  // Interrupted (Ctrl-C): stop the app's processes, drop the database, stop the redis-server.
  const onSignal = (signal: NodeJS.Signals) => {
    console.error(`\n${signal}: dropping the bench's database, stopping its redis-server`);
    killAppProcesses();
    void env
      .cleanup()
      .catch(() => undefined)
      .then(() => redis.stop())
      .finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const databaseUrl = new URL(env.config.DATABASE_URL);
  const database = databaseUrl.pathname.slice(1);
  databaseUrl.pathname = '';
  const meter = await CostMeter.create({
    serverUrl: databaseUrl.toString().replace(/\/$/, ''),
    database,
    redisUrl: redis.url,
    settleMs: settings.settleMs,
  });
  meter.startFromEmptyDatabase();
  const control = await connectControl(env.config.DATABASE_URL);
  meter.beforeSettle.push(control.reconnect);
  const context: BenchContext = { env, meter, control };
  const results: PathResult[] = [];
  const profiles: Record<string, string> = {};
  let extras: [string, string][] = [];
  let listener: { commits: number; outboxEvents: number } | undefined;
  try {
    console.log(
      `Linkflow bench${settings.quick ? ' (quick: a tenth of the work)' : ''}: worker concurrency ${settings.concurrency}, ` +
        `campaign concurrency ${settings.campaignConcurrency ?? 'the default'}, ` +
        `database ${database}, private redis ${redis.url}; PostgreSQL counters settle ${settings.settleMs / 1000} s after each path; ` +
        `load average ${os
          .loadavg()
          .map((n) => n.toFixed(1))
          .join(' ')} on ${os.cpus().length} cores`,
    );
    // A server with autovacuum off (this machine's CI configuration) never cleans the dead rows the
    // paths leave nor refreshes statistics: each path would pay for the ones before it. The bench
    // vacuums its own database between paths instead; within a path dead rows pile up as they would
    // behind an autovacuum that lags.
    const [autovacuum] = await control.rows<{ autovacuum: string }>('SHOW autovacuum');
    console.log(
      `PostgreSQL autovacuum: ${autovacuum?.autovacuum}; the bench runs VACUUM (ANALYZE) on its database between paths`,
    );
    const history = settings.historyRuns > 0 ? await preloadHistory(env, settings.historyRuns) : null;
    if (history)
      console.log(
        `${history.runs.toLocaleString('en-US')} finished runs in the tables (${history.seconds.toFixed(0)} s to add), ` +
          `${history.prunable.toLocaleString('en-US')} of them past RUN_RETENTION_DAYS: the retention job prunes them while the paths run`,
      );
    // In process first: these workers take jobs from the same queues the started worker would.
    if (wanted('b')) results.push(...(await benchRunsInProcess(context)));
    if (wanted('bare')) results.push(await benchBareBullmq(context, Math.max(1000, settings.httpContacts)));
    if (['a', 'c', 'd', 'e', 'f', 'g', 'idle'].some(wanted)) {
      const app = await startHttpApp(context);
      try {
        if (wanted('g')) results.push(await benchIdleRuns(app));
        await app.listenerFlushed();
        if (wanted('a')) {
          await control.vacuum();
          const a = await benchRunsOverHttp(app);
          results.push(a.result);
          for (const file of a.profiles) profiles[file] = summariseProfileFile(file);
        }
        // After (a): by then every connection has published what it did while the app started.
        if (wanted('idle')) results.push(await benchIdleCost(app));
        for (const [key, path] of [
          ['d', benchBookingsOverHttp],
          ['e', benchBookingsOpenLoop],
        ] as const) {
          if (!wanted(key)) continue;
          await control.vacuum();
          results.push(await path(app));
        }
        if (wanted('c')) {
          await control.vacuum();
          results.push(...(await benchCampaign(app)));
        }
      } catch (error) {
        console.error(`the app's logs: ${app.api.logFile}, ${app.worker.logFile}`);
        throw error;
      } finally {
        const commits = await meter.listenerCommits(() => app.stop());
        const rows = await control.rows<{ n: string }>(
          'SELECT count(*) AS n FROM outbox_events WHERE account_id = $1',
          [app.accountId],
        );
        listener = { commits, outboxEvents: Number(rows[0]!.n) };
      }
    }
    // Unmetered, after the app stopped (their in-process workers would share its queues).
    if (wanted('extras')) extras = await runExtras(env);
    results.sort((x, y) => ORDER.indexOf(x.key) - ORDER.indexOf(y.key));
    printReport(results);
    if (listener)
      console.log(
        `\nNot in the table: the worker's LISTEN connection committed ${listener.commits} read-only transactions ` +
          `(notification reads, published only when it disconnected) for ${listener.outboxEvents} outbox events of the HTTP paths: ` +
          `${(listener.commits / Math.max(1, listener.outboxEvents)).toFixed(2)} per event; a run of (a) has 3 events.`,
      );
    if (history) {
      const pruned = await control.rows<{ n: string | null }>(
        "SELECT sum(n) AS n FROM pruned_totals WHERE metric = 'runs'",
        [],
      );
      console.log(
        `\nRetention pruned ${Number(pruned[0]?.n ?? 0).toLocaleString('en-US')} finished runs while the paths ran.`,
      );
    }
    if (extras.length > 0) printExtras(extras);
    for (const [file, summary] of Object.entries(profiles)) console.log(`\nCPU profile ${file}\n${summary}`);
    // Last: it fills the database with 200,000 finished runs.
    const eventCost = wanted('history') && !settings.quick ? await runHistory(env) : [];
    await writeReport(RESULTS_FILE, results, {
      settings: { ...settings, only: settings.only && [...settings.only] },
      listener,
      extras,
      history: eventCost,
      preloaded: history,
      profiles,
    });
    console.log(`\nwritten to ${path.relative(process.cwd(), RESULTS_FILE)}`);
  } finally {
    await meter.close();
    await control.close();
    await env.cleanup();
    await redis.stop();
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

/**
 * What the bench's paths share: the settings (env), the bench's own PostgreSQL look-ups (counted
 * apart from the app's), the result shape every path returns, and a wait that fails when the work
 * stops moving rather than after a fixed time.
 */
import { Client } from 'pg';
import type { Cost, CostMeter } from './cost-meter';
import { markControl } from './statement-probe';
import type { TestEnv } from '../test/helpers/test-env';

const QUICK = process.env.BENCH_QUICK === '1';
const FULL = process.env.BENCH_FULL === '1';

function num(name: string, fallback: number): number {
  const value = process.env[name];
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed <= 0) throw new Error(`${name} must be a positive number`);
  return parsed;
}

/** A tenth in BENCH_QUICK mode. */
const scaled = (n: number) => (QUICK ? Math.max(1, Math.round(n / 10)) : n);

export const settings = {
  quick: QUICK,
  full: FULL,
  profile: process.env.BENCH_PROFILE === '1',
  /** BENCH_ONLY=a,c: only those paths (f comes with c; `extras` are the older rows; `history` the event-cost table). */
  only: process.env.BENCH_ONLY ? new Set(process.env.BENCH_ONLY.split(',').map((key) => key.trim())) : null,
  httpContacts: num('BENCH_HTTP_CONTACTS', scaled(10_000)),
  httpConnections: num('BENCH_HTTP_CONNECTIONS', 32),
  inProcessContacts: num('BENCH_CONTACTS', scaled(5_000)),
  concurrency: num('BENCH_CONCURRENCY', 20),
  /** The app's CAMPAIGN_CONCURRENCY (campaign-lane slots per worker process); unset: the app's default. */
  campaignConcurrency: process.env.CAMPAIGN_CONCURRENCY,
  campaign: num('BENCH_CAMPAIGN', scaled(FULL ? 100_000 : 20_000)),
  bookings: num('BENCH_BOOKINGS', scaled(3_000)),
  bookingConnections: num('BENCH_BOOKING_CONNECTIONS', 50),
  openRate: num('BENCH_OPEN_RATE', 500),
  openSeconds: num('BENCH_OPEN_SECONDS', QUICK ? 3 : 30),
  openConnections: num('BENCH_OPEN_CONNECTIONS', 256),
  fairnessProbes: num('BENCH_FAIRNESS_PROBES', QUICK ? 10 : 50),
  fairnessIntervalMs: num('BENCH_FAIRNESS_INTERVAL_MS', QUICK ? 300 : 1000),
  idleRuns: num('BENCH_IDLE_RUNS', QUICK ? 10 : 30),
  emails: num('BENCH_EMAILS', scaled(1000)),
  settleMs: num('BENCH_SETTLE_MS', 11_000),
  /** BENCH_HISTORY_RUNS=1000000: finished runs in the tables before the paths run, a fifth of them pruned meanwhile (bench/history.ts). */
  historyRuns: num('BENCH_HISTORY_RUNS', 0),
};

export type Settings = typeof settings;

export function wanted(key: string): boolean {
  return settings.only === null || settings.only.has(key) || (key === 'c' && settings.only.has('f'));
}

/** The bench's own statements (completion polls, latency look-ups): a client the probe counts apart. */
export interface Control {
  rows<T>(sql: string, params?: unknown[]): Promise<T[]>;
  /**
   * A new connection. PostgreSQL publishes an idle backend's counters only when it works again
   * (at least a second later) or exits: the meter reconnects before it reads them.
   */
  reconnect(): Promise<void>;
  /**
   * Between paths: `VACUUM (ANALYZE)` of the bench's database, so that each path starts from the
   * tables and statistics a server whose autovacuum keeps up would have (see tidyBetweenPaths).
   */
  vacuum(): Promise<void>;
  close(): Promise<void>;
}

export async function connectControl(databaseUrl: string): Promise<Control> {
  const connect = async () => {
    const client = new Client({ connectionString: databaseUrl });
    // Its database is dropped under it when the bench is interrupted.
    client.on('error', () => undefined);
    markControl(client);
    await client.connect();
    return client;
  };
  let client = await connect();
  return {
    rows: async <T>(sql: string, params: unknown[] = []) => (await client.query(sql, params)).rows as T[],
    async reconnect() {
      await client.end();
      client = await connect();
    },
    async vacuum() {
      await client.query('VACUUM (ANALYZE)');
    },
    close: () => client.end(),
  };
}

export interface BenchContext {
  env: TestEnv;
  meter: CostMeter;
  control: Control;
}

export interface PathResult {
  key: string;
  path: string;
  /** What one unit of cost is: a run, a booking. */
  unit: string;
  count: number;
  throughput?: { perSec: number; label: string };
  latency?: { p50: number; p99: number; label: string };
  cost?: Cost;
  /** The processes whose CPU is the app's (the others, e.g. the bench's load generator, are shown apart). */
  appProcesses: string[];
  notes: string[];
  target: string;
}

/**
 * Polls `progress` until it reaches `target`; fails if it stops moving for `stallMs` (default 60 s),
 * so a big run may take as long as it needs but a stuck one does not hang the bench.
 */
export async function waitForProgress(
  progress: () => Promise<number> | number,
  target: number,
  options: { what: string; intervalMs?: number; stallMs?: number },
): Promise<void> {
  let last = -1;
  let movedAt = Date.now();
  for (;;) {
    const now = await progress();
    if (now >= target) return;
    if (now !== last) {
      last = now;
      movedAt = Date.now();
    } else if (Date.now() - movedAt > (options.stallMs ?? 60_000)) {
      throw new Error(`${options.what}: stuck at ${now} of ${target}`);
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 200));
  }
}

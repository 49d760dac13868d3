/**
 * The cost of a measured window, per unit of work (a run, a booking): PostgreSQL commits as the
 * server counts them (`pg_stat_database.xact_commit` of the bench's database only), statements as
 * the probes count them, Redis commands (`INFO commandstats` of the bench's private redis-server,
 * commands called from Lua included), CPU time of each process doing the work, and of PostgreSQL's
 * backends and redis-server on its behalf (bench/server-cpu.ts).
 *
 * PostgreSQL publishes a backend's counters at most once a second, when it finishes a statement, and
 * when it exits; a backend left idle keeps its last counts to itself (PostgreSQL 15 measured: 300
 * statements then idle, none published 25 s later). The app's pools close connections idle for 10 s,
 * the bench's own connection is reopened before each reading, and the reading is taken after a
 * settle (SETTLE_MS, default 11 s), so every count of the window is published by then. What
 * happens between two settled readings but outside the window (the next path's setup, the settle
 * itself, the bench's own look-ups) is counted by the probes and subtracted, so the commits left are
 * the window's. The probes' own count of the window's transactions is kept beside it as a check.
 */
import { Client } from 'pg';
import { Redis } from 'ioredis';
import { readServerCpu, serverCpuBetween, type ServerCpu } from './server-cpu';
import { ignoreClient, sampleProbe, type ProbeSample, type StatementCounts } from './statement-probe';

export interface Participant {
  name: string;
  sample(): Promise<ProbeSample>;
}

export interface Mark {
  at: number;
  samples: Map<string, ProbeSample>;
  redis: Map<string, number>;
  server: ServerCpu | null;
}

interface Settled {
  commits: number;
  rollbacks: number;
  mark: Mark;
}

export interface Window {
  from: Settled;
  start: Mark;
}

export interface Cost {
  units: number;
  seconds: number;
  /** Per unit, as PostgreSQL counts them. */
  pgCommits: number;
  /** Per unit, as the probes counted them in the window: should agree with pgCommits. */
  pgCommitsByProbes: number;
  /** In the whole window (not per unit): a failed statement or a conflict. */
  pgRollbacks: number;
  statements: number;
  redisCommands: number;
  /** Per unit, by process. */
  cpuMs: Record<string, number>;
  /** Per unit: PostgreSQL's backends of the bench's database (NaN when /proc cannot tell) and redis-server. */
  serverCpuMs: { postgres: number; redis: number };
  /** Per unit, by process: context switches (voluntary: waiting for I/O; involuntary: preempted). */
  contextSwitches: Record<string, { voluntary: number; involuntary: number }>;
  /** Per unit, the most frequent statements and Redis commands. */
  topStatements: [string, number][];
  topRedis: [string, number][];
}

export const benchProcess: Participant = { name: 'bench', sample: async () => sampleProbe() };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function parseCommandStats(info: string): Map<string, number> {
  const calls = new Map<string, number>();
  for (const line of info.split('\n')) {
    const match = /^cmdstat_([^:]+):calls=(\d+)/.exec(line.trim());
    // The meter's own INFO calls are not the app's.
    if (match && match[1] !== 'info') calls.set(match[1]!, Number(match[2]));
  }
  return calls;
}

function deltaCounts(after: StatementCounts, before: StatementCounts | undefined): StatementCounts {
  const bySql: Record<string, number> = {};
  for (const [sql, n] of Object.entries(after.bySql)) {
    const d = n - (before?.bySql[sql] ?? 0);
    if (d > 0) bySql[sql] = d;
  }
  return {
    statements: after.statements - (before?.statements ?? 0),
    transactions: after.transactions - (before?.transactions ?? 0),
    connections: after.connections - (before?.connections ?? 0),
    bySql,
  };
}

/** The app's transactions between two marks (the bench's look-ups left out). */
function appTransactionsBetween(a: Mark, b: Mark): number {
  let total = 0;
  for (const [name, later] of b.samples) total += deltaCounts(later.counts, a.samples.get(name)?.counts).transactions;
  return total;
}

/**
 * Below this many transactions a second the app is idle: the outbox relay polls 5 times a second;
 * everything else it does is work, and a window ends only once that work is over.
 */
const QUIET_TRANSACTIONS_PER_SEC = 15;

/** Every process's transactions between two marks, the bench's look-ups included. */
function transactionsBetween(a: Mark, b: Mark): number {
  let total = 0;
  for (const [name, later] of b.samples) {
    const earlier = a.samples.get(name);
    total += deltaCounts(later.counts, earlier?.counts).transactions;
    total += deltaCounts(later.control, earlier?.control).transactions;
  }
  return total;
}

function top(entries: Map<string, number> | Record<string, number>, units: number, n: number): [string, number][] {
  const list = entries instanceof Map ? [...entries] : Object.entries(entries);
  return list
    .sort((x, y) => y[1] - x[1])
    .slice(0, n)
    .map(([key, value]) => [key, value / units]);
}

export class CostMeter {
  private settled: Settled | undefined;
  /** Commits published since the last settled reading that belong to no window (see listenerCommits). */
  private excluded = 0;
  readonly participants: Participant[] = [benchProcess];
  /** Run before each settle: connections of the bench's own that must publish their counts. */
  readonly beforeSettle: (() => Promise<void>)[] = [];

  private constructor(
    private readonly stats: Client,
    private readonly database: string,
    private readonly redis: Redis,
    private readonly settleMs: number,
  ) {}

  /** `serverUrl` names the server (its `postgres` database is where the counters are read from). */
  static async create(options: {
    serverUrl: string;
    database: string;
    redisUrl: string;
    settleMs: number;
  }): Promise<CostMeter> {
    const stats = new Client({ connectionString: `${options.serverUrl}/postgres` });
    ignoreClient(stats);
    await stats.connect();
    const redis = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
    return new CostMeter(stats, options.database, redis, options.settleMs);
  }

  async mark(): Promise<Mark> {
    const samples = new Map<string, ProbeSample>();
    await Promise.all(
      this.participants.map(async (p) => {
        samples.set(p.name, await p.sample());
      }),
    );
    return {
      at: performance.now(),
      samples,
      redis: parseCommandStats(await this.redis.info('commandstats')),
      server: await readServerCpu(this.stats, this.database, this.redis),
    };
  }

  private async readServer(): Promise<{ commits: number; rollbacks: number }> {
    const { rows } = await this.stats.query<{ commits: string; rollbacks: string }>(
      'SELECT xact_commit AS commits, xact_rollback AS rollbacks FROM pg_stat_database WHERE datname = $1',
      [this.database],
    );
    return { commits: Number(rows[0]!.commits), rollbacks: Number(rows[0]!.rollbacks) };
  }

  private async settle(): Promise<Settled> {
    for (const hook of this.beforeSettle) await hook();
    await sleep(this.settleMs);
    return { ...(await this.readServer()), mark: await this.mark() };
  }

  /**
   * The bench's database was created by this process, whose probe has counted every transaction
   * since it started: the first reading is zero, with no settle to wait for.
   */
  startFromEmptyDatabase(): void {
    const mark = { at: performance.now(), samples: new Map(), redis: new Map(), server: null };
    this.settled = { commits: 0, rollbacks: 0, mark };
  }

  /**
   * Runs `close` (which ends a LISTENing connection) and returns the commits PostgreSQL published
   * when it ended: a backend that LISTENs commits one read-only transaction per batch of
   * notifications it takes in, but publishes those counts only when it exits. They are kept out of
   * the next window and reported apart. Call it right after `end`, with nothing else running.
   */
  async listenerCommits(close: () => Promise<void>): Promise<number> {
    const before = await this.readServer();
    await close();
    await sleep(1000);
    const jump = (await this.readServer()).commits - before.commits;
    this.excluded += jump;
    return jump;
  }

  /** Opens a window: the work to be measured starts now (setup is done). */
  async begin(): Promise<Window> {
    this.settled ??= await this.settle();
    return { from: this.settled, start: await this.mark() };
  }

  /**
   * A mark taken once the app has gone quiet (1.5 s under QUIET_TRANSACTIONS_PER_SEC, 2 minutes at
   * most): what it still did after the work was seen done (events relayed, queues drained) is the
   * work's cost too. Its connections, but the one the relay polls on, are idle from then on, so the
   * pool closes them within 10 s and PostgreSQL publishes their counts.
   */
  async quietMark(): Promise<Mark> {
    let previous = await this.mark();
    let quietMs = 0;
    const deadline = performance.now() + 120_000;
    for (;;) {
      await sleep(500);
      const next = await this.mark();
      const elapsed = next.at - previous.at;
      const rate = appTransactionsBetween(previous, next) / (elapsed / 1000);
      quietMs = rate <= QUIET_TRANSACTIONS_PER_SEC ? quietMs + elapsed : 0;
      previous = next;
      if (quietMs >= 1500 || next.at > deadline) return next;
    }
  }

  /**
   * Closes it, once the app is quiet (or at `stopped`, a mark taken earlier), settles, and returns
   * the cost per unit. `withoutPostgres`: work that sends PostgreSQL nothing (bare BullMQ) needs no
   * settle; its commits are not read (NaN) and the next window counts from the last reading.
   */
  async end(window: Window, units: number, stopped?: Mark, options: { withoutPostgres?: boolean } = {}): Promise<Cost> {
    const stop = stopped ?? (await this.quietMark());
    const after = options.withoutPostgres ? { commits: NaN, rollbacks: NaN, mark: stop } : await this.settle();
    const excluded = this.excluded;
    if (!options.withoutPostgres) {
      this.settled = after;
      this.excluded = 0;
    }
    const outside = transactionsBetween(window.from.mark, window.start) + transactionsBetween(stop, after.mark);
    if (process.env.BENCH_DEBUG_METER)
      console.log('meter', {
        server: after.commits - window.from.commits,
        before: transactionsBetween(window.from.mark, window.start),
        after: transactionsBetween(stop, after.mark),
        within: transactionsBetween(window.start, stop),
      });
    let byProbes = 0;
    let statements = 0;
    let controlTx = 0;
    const bySql: Record<string, number> = {};
    const cpuMs: Record<string, number> = {};
    const contextSwitches: Cost['contextSwitches'] = {};
    for (const [name, later] of stop.samples) {
      const earlier = window.start.samples.get(name);
      const app = deltaCounts(later.counts, earlier?.counts);
      byProbes += app.transactions;
      statements += app.statements;
      // The bench's look-ups (completion polls) happened on the server too: taken out of its figure.
      controlTx += deltaCounts(later.control, earlier?.control).transactions;
      cpuMs[name] = (later.cpuMicros - (earlier?.cpuMicros ?? 0)) / 1000 / units;
      const switches = (kind: 'voluntary' | 'involuntary') =>
        (later.contextSwitches[kind] - (earlier?.contextSwitches[kind] ?? 0)) / units;
      contextSwitches[name] = { voluntary: switches('voluntary'), involuntary: switches('involuntary') };
      for (const [sql, n] of Object.entries(app.bySql)) bySql[sql] = (bySql[sql] ?? 0) + n;
    }
    const redis = new Map<string, number>();
    for (const [command, calls] of stop.redis) {
      const d = calls - (window.start.redis.get(command) ?? 0);
      if (d > 0) redis.set(command, d);
    }
    const redisTotal = [...redis.values()].reduce((sum, n) => sum + n, 0);
    const server =
      window.start.server && stop.server
        ? serverCpuBetween(window.start.server, stop.server)
        : { pgMs: NaN, redisMs: NaN };
    return {
      units,
      seconds: (stop.at - window.start.at) / 1000,
      pgCommits: (after.commits - window.from.commits - excluded - outside - controlTx) / units,
      pgCommitsByProbes: byProbes / units,
      pgRollbacks: after.rollbacks - window.from.rollbacks,
      statements: statements / units,
      redisCommands: redisTotal / units,
      cpuMs,
      serverCpuMs: { postgres: server.pgMs / units, redis: server.redisMs / units },
      contextSwitches,
      topStatements: top(bySql, units, 40),
      topRedis: top(redis, units, 30),
    };
  }

  async close(): Promise<void> {
    await this.stats.end();
    this.redis.disconnect();
  }
}

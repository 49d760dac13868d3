/**
 * Counts the PostgreSQL statements and transactions of the process it is loaded in, by wrapping
 * `pg.Client.prototype.query` (every statement the app sends goes through it: TypeORM's query runner,
 * and any pg pool used directly). Nothing is changed: the call is counted, then made as before.
 *
 * Loaded two ways: imported by the bench process (in-process paths), and preloaded with
 * `--import` into the app's child processes, where it answers the bench over the IPC channel
 * (`BENCH_PROBE_IPC=1`): counts, CPU time and RSS on request, and a V8 CPU profile of a window
 * (`node:inspector`, the profiler `--cpu-prof` uses, started and stopped around the measured path).
 *
 * Why not pg_stat_statements: it needs `shared_preload_libraries`, i.e. a server restart, which a
 * bench must not ask of a shared server. Transactions are counted as PostgreSQL counts them in
 * `pg_stat_database.xact_commit`: one per statement outside BEGIN … COMMIT, one per COMMIT, and one
 * per new connection (a backend's start-up commits one).
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import pg from 'pg';

export interface StatementCounts {
  /** Every statement sent, BEGIN and COMMIT included: round trips (the relay's `BEGIN; SELECT …` and `UPDATE …; COMMIT` are one each). */
  statements: number;
  /** Transactions as PostgreSQL counts them: autocommit statements, COMMIT/ROLLBACK, connections opened. */
  transactions: number;
  /** Connections opened (each is also one of `transactions`). */
  connections: number;
  /** Statements by their text, whitespace collapsed (the app's statements are parameterised). */
  bySql: Record<string, number>;
}

export interface ProbeSample {
  counts: StatementCounts;
  /** The bench's own look-ups (a client marked with `markControl`): subtracted from the app's cost. */
  control: StatementCounts;
  cpuMicros: number;
  rssBytes: number;
  /** Involuntary ones mostly mean: a write woke PostgreSQL or Redis, which took the core. */
  contextSwitches: { voluntary: number; involuntary: number };
}

const PATCHED = Symbol.for('linkflow.bench.statementProbe');
const emptyCounts = (): StatementCounts => ({ statements: 0, transactions: 0, connections: 0, bySql: {} });
const app = emptyCounts();
const control = emptyCounts();
const controlClients = new WeakSet<object>();
const ignoredClients = new WeakSet<object>();
const inTransaction = new WeakMap<object, boolean>();

function textOf(config: unknown): string {
  if (typeof config === 'string') return config;
  if (config && typeof config === 'object' && 'text' in config) return String((config as { text: unknown }).text);
  return '';
}

/** One line per distinct statement, at most 200 characters, so top-N tables stay readable. */
export function normaliseSql(sql: string): string {
  return sql.replace(/\s+/g, ' ').trim().slice(0, 200);
}

type Kind = 'begin' | 'end' | 'other';
/** By the statement's text as sent: the app's texts are constants, so this is a lookup, not a regex per call. */
const classified = new Map<string, { key: string; kind: Kind }>();

/** What a statement does to its connection's transaction: opens one, ends one, or neither. */
export function classify(sql: string): { key: string; kind: Kind } {
  let entry = classified.get(sql);
  if (!entry) {
    const key = normaliseSql(sql);
    const head = key.slice(0, 20).toUpperCase();
    const kind: Kind =
      head.startsWith('BEGIN') || head.startsWith('START TRANSACTION')
        ? 'begin'
        : head.startsWith('COMMIT') || head.startsWith('END') || /^ROLLBACK(?! TO)/.test(head) || /; COMMIT$/i.test(key)
          ? 'end'
          : 'other';
    entry = { key, kind };
    if (classified.size < 10_000) classified.set(sql, entry);
  }
  return entry;
}

function count(client: object, sql: string): void {
  if (ignoredClients.has(client)) return;
  const into = controlClients.has(client) ? control : app;
  into.statements++;
  const { key, kind } = classify(sql);
  into.bySql[key] = (into.bySql[key] ?? 0) + 1;
  if (kind === 'begin') inTransaction.set(client, true);
  else if (kind === 'end') {
    inTransaction.set(client, false);
    into.transactions++;
  } else if (!inTransaction.get(client)) into.transactions++;
}

function install(): void {
  const proto = pg.Client.prototype as unknown as Record<symbol | string, unknown>;
  if (proto[PATCHED]) return;
  const original = proto.query as (...args: unknown[]) => unknown;
  proto.query = function (this: object, ...args: unknown[]) {
    count(this, textOf(args[0]));
    return original.apply(this, args);
  };
  const connect = proto.connect as (...args: unknown[]) => unknown;
  proto.connect = function (this: object, ...args: unknown[]) {
    const into = controlClients.has(this) ? control : app;
    if (!ignoredClients.has(this)) {
      into.connections++;
      into.transactions++;
    }
    return connect.apply(this, args);
  };
  proto[PATCHED] = true;
}

/** The bench's own client (completion polls, look-ups): counted apart, never as the app's cost. */
export function markControl(client: object): void {
  controlClients.add(client);
}

/** A client of another database (the meter's own reader of pg_stat_database): not counted at all. */
export function ignoreClient(client: object): void {
  ignoredClients.add(client);
}

const copy = (counts: StatementCounts): StatementCounts => ({ ...counts, bySql: { ...counts.bySql } });

export function sampleProbe(): ProbeSample {
  const usage = process.resourceUsage();
  return {
    counts: copy(app),
    control: copy(control),
    cpuMicros: usage.userCPUTime + usage.systemCPUTime,
    rssBytes: process.memoryUsage().rss,
    contextSwitches: { voluntary: usage.voluntaryContextSwitches, involuntary: usage.involuntaryContextSwitches },
  };
}

interface ProbeRequest {
  benchProbe: 'sample' | 'profile-start' | 'profile-stop';
  id: number;
  file?: string;
}

let session: Session | undefined;

function post(method: string, params?: object): Promise<unknown> {
  return new Promise((resolve, reject) =>
    session!.post(method, params ?? {}, (error, result) => (error ? reject(error) : resolve(result))),
  );
}

async function answer(request: ProbeRequest): Promise<unknown> {
  if (request.benchProbe === 'sample') return sampleProbe();
  if (request.benchProbe === 'profile-start') {
    session = new Session();
    session.connect();
    await post('Profiler.enable');
    // 1 ms, as `node --cpu-prof` samples by default.
    await post('Profiler.setSamplingInterval', { interval: 1000 });
    await post('Profiler.start');
    return { started: true };
  }
  const { profile } = (await post('Profiler.stop')) as { profile: unknown };
  writeFileSync(request.file!, JSON.stringify(profile));
  session?.disconnect();
  session = undefined;
  return { file: request.file };
}

install();

if (process.env.BENCH_PROBE_IPC === '1' && process.send) {
  process.on('message', (message: ProbeRequest) => {
    if (!message || typeof message !== 'object' || !('benchProbe' in message)) return;
    answer(message).then(
      (result) => process.send!({ benchProbe: 'answer', id: message.id, result }),
      (error: unknown) => process.send!({ benchProbe: 'answer', id: message.id, error: String(error) }),
    );
  });
  // The bench went away without stopping us: shut down as on SIGTERM rather than linger, and for
  // good if that hangs (its database and Redis may be gone with it).
  process.on('disconnect', () => {
    setTimeout(() => process.exit(1), 5000).unref();
    process.kill(process.pid, 'SIGTERM');
  });
}

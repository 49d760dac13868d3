/**
 * Load generators for the over-HTTP paths, on undici keep-alive connections: a closed loop (N
 * connections, each sends its next request when the previous answer came) and an open loop (a
 * request every 1/rate seconds whatever the answers, latency counted from the time it was due, so
 * a slow server cannot hide its queue: no coordinated omission).
 */
import { Pool } from 'undici';

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

export interface Latencies {
  p50: number;
  p99: number;
  max: number;
}

export function latenciesOf(values: number[]): Latencies {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted[sorted.length - 1] ?? NaN };
}

/** How far the wall clock has been stepped since this process started (see epochMs). */
let wallClockSteps = 0;

/**
 * Wall-clock milliseconds with sub-millisecond precision, comparable with PostgreSQL's now(): the
 * monotonic clock from the process's start, re-aligned with the wall clock whenever the two part by
 * more than 2 ms. A virtual machine's wall clock is stepped now and then (seen here: 0.5 s, then
 * several seconds, in one bench run), which the monotonic clock does not follow: without the
 * re-alignment, every latency measured against a row's timestamp after a step carries the step.
 */
export function epochMs(): number {
  const monotonic = performance.timeOrigin + performance.now() + wallClockSteps;
  const wall = Date.now();
  if (Math.abs(wall - monotonic) > 2) wallClockSteps += wall - monotonic;
  return performance.timeOrigin + performance.now() + wallClockSteps;
}

export interface JsonClient {
  /** POSTs JSON (with `extraHeaders` too); resolves with the status and the parsed body (undefined when not JSON). */
  post(path: string, body: unknown, extraHeaders?: Record<string, string>): Promise<{ status: number; body: unknown }>;
  close(): Promise<void>;
}

export function jsonClient(base: string, options: { connections: number; apiKey?: string }): JsonClient {
  const pool = new Pool(base, { connections: options.connections, pipelining: 1 });
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`;
  return {
    async post(path, body, extraHeaders) {
      const response = await pool.request({
        path,
        method: 'POST',
        headers: extraHeaders ? { ...headers, ...extraHeaders } : headers,
        body: JSON.stringify(body),
      });
      const text = await response.body.text();
      let parsed: unknown;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        parsed = undefined;
      }
      return { status: response.statusCode, body: parsed };
    },
    close: () => pool.close(),
  };
}

/** Runs `send(i)` for i in [0, count) on `concurrency` loops; returns each call's latency in ms. */
export async function closedLoop(
  count: number,
  concurrency: number,
  send: (index: number) => Promise<void>,
): Promise<{ latencies: number[]; seconds: number }> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) {
        const index = next++;
        const sent = performance.now();
        await send(index);
        latencies.push(performance.now() - sent);
      }
    }),
  );
  return { latencies, seconds: (performance.now() - started) / 1000 };
}

export interface OpenLoopResult {
  offeredPerSec: number;
  sent: number;
  /** Answers per second, from the first request due to the last answer. */
  achievedPerSec: number;
  /** Latency from the time each request was due (not sent) to its answer. */
  latencies: number[];
  /** Each answered request's due time (ms after the first was due) and latency: where in the run the slow ones were. */
  samples: [dueMs: number, latencyMs: number][];
  /** Seconds from the last request due to the last answer: the backlog the server was left with. */
  drainSeconds: number;
}

/** Sends `ratePerSec` requests a second for `seconds`, each at its due time whatever the answers. */
export async function openLoop(
  ratePerSec: number,
  seconds: number,
  send: (index: number) => Promise<void>,
): Promise<OpenLoopResult> {
  const total = Math.round(ratePerSec * seconds);
  const interval = 1000 / ratePerSec;
  const samples: [number, number][] = [];
  const inFlight: Promise<void>[] = [];
  const started = performance.now();
  let next = 0;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      while (next < total && started + next * interval <= now) {
        const due = started + next * interval;
        inFlight.push(send(next).then(() => void samples.push([due - started, performance.now() - due])));
        next++;
      }
      if (next < total) setTimeout(tick, Math.max(0, started + next * interval - performance.now()));
      else resolve();
    };
    tick();
  });
  const lastDue = started + (total - 1) * interval;
  await Promise.all(inFlight);
  const finished = performance.now();
  return {
    offeredPerSec: ratePerSec,
    sent: total,
    achievedPerSec: total / ((finished - started) / 1000),
    latencies: samples.map(([, latency]) => latency),
    samples,
    drainSeconds: Math.max(0, (finished - lastDue) / 1000),
  };
}

/**
 * The p99 of each `sliceMs` of an open loop, by due time (a request counts in the slice it was due
 * in): a tail made of one stall (a pause of one process, a burst of other work) shows as one slice,
 * a server short of capacity as every slice.
 */
export function p99BySlice(samples: readonly [number, number][], sliceMs: number): number[] {
  const slices: number[][] = [];
  for (const [due, latency] of samples) (slices[Math.floor(due / sliceMs)] ??= []).push(latency);
  return Array.from(slices, (slice) => (slice ? latenciesOf(slice).p99 : NaN));
}

/**
 * Booking `POST /book/:token` against the started app, every request on its own one-time link and
 * slot: (d) 50 connections as fast as answers come (closed loop), (e) a fixed offered rate for a
 * fixed time (open loop, latency from each request's due time). The cost window runs until the
 * worker has relayed the bookings' events (the outbox is empty) and gone quiet, so it includes what
 * a booking costs the worker too.
 */
import { settings, waitForProgress, type PathResult } from './bench-context';
import { prepareBookings, visitorAddress, type BookingTargets } from './booking';
import { closedLoop, jsonClient, latenciesOf, openLoop, p99BySlice, type JsonClient } from './http-load';
import type { HttpApp } from './http-app';
import type { Cost, Window } from './cost-meter';

async function drainedCost(app: HttpApp, window: Window, units: number): Promise<Cost> {
  await waitForProgress(
    async () => {
      const rows = await app.control.rows<{ n: string }>(
        'SELECT count(*) AS n FROM outbox_events WHERE published_at IS NULL',
      );
      return rows[0]!.n === '0' ? 1 : 0;
    },
    1,
    { what: 'booking events relayed', intervalMs: 50 },
  );
  return app.meter.end(window, units);
}

function booker(
  client: JsonClient,
  targets: BookingTargets,
): { book: (i: number) => Promise<void>; failures: () => string } {
  const statuses = new Map<string, number>();
  return {
    book: async (i) => {
      let status: string;
      try {
        // Each booking from a visitor of its own (the app trusts one proxy hop here, http-app.ts).
        const visitor = { 'x-forwarded-for': visitorAddress(i) };
        status = String((await client.post(targets.paths[i]!, targets.bodies[i], visitor)).status);
      } catch (error) {
        status = (error as { code?: string }).code ?? 'error';
      }
      if (status !== '201') statuses.set(status, (statuses.get(status) ?? 0) + 1);
    },
    failures: () => (statuses.size === 0 ? 'none' : [...statuses].map(([status, n]) => `${n} × ${status}`).join(', ')),
  };
}

/** (d) Closed loop: `settings.bookings` bookings on 50 connections. */
export async function benchBookingsOverHttp(app: HttpApp): Promise<PathResult> {
  const count = settings.bookings;
  const targets = await prepareBookings(app.env, count);
  const client = jsonClient(app.base, { connections: settings.bookingConnections });
  const { book, failures } = booker(client, targets);
  const window = await app.meter.begin();
  if (settings.profile) await Promise.all([app.api.startProfile(), app.worker.startProfile()]);
  const { latencies, seconds } = await closedLoop(count, settings.bookingConnections, book);
  const cost = await drainedCost(app, window, count);
  // BENCH_PROFILE=1: both processes' CPU profiles of (d); `npx tsx bench/profile-summary.ts <file>` reads one.
  const profiles: string[] = [];
  if (settings.profile)
    for (const child of [app.api, app.worker]) {
      const file = `/tmp/linkflow-bench-d-${child.role}-${child.pid}.cpuprofile`;
      await child.stopProfile(file);
      profiles.push(file);
    }
  await client.close();
  return {
    key: 'd',
    path: `booking POST /book/:token over HTTP, ${count} distinct links, ${settings.bookingConnections} conn. closed loop`,
    unit: 'booking',
    count,
    throughput: { perSec: count / seconds, label: 'bookings/s' },
    latency: { ...latenciesOf(latencies), label: 'request → answer' },
    cost,
    appProcesses: ['api', 'worker'],
    notes: [
      `answers other than 201: ${failures()}`,
      ...profiles.map((file) => `CPU profile (profiler on: figures lower than without): ${file}`),
    ],
    target: '≥ 1,000/s',
  };
}

/** (e) Open loop: `openRate` bookings a second for `openSeconds`, whatever the answers. */
export async function benchBookingsOpenLoop(app: HttpApp): Promise<PathResult> {
  const count = Math.round(settings.openRate * settings.openSeconds);
  const targets = await prepareBookings(app.env, count);
  const client = jsonClient(app.base, { connections: settings.openConnections });
  const { book, failures } = booker(client, targets);
  const window = await app.meter.begin();
  const result = await openLoop(settings.openRate, settings.openSeconds, book);
  const cost = await drainedCost(app, window, count);
  await client.close();
  return {
    key: 'e',
    path: `booking at a fixed ${settings.openRate}/s for ${settings.openSeconds} s, open loop (${settings.openConnections} conn. at most)`,
    unit: 'booking',
    count,
    throughput: { perSec: result.achievedPerSec, label: 'bookings/s achieved' },
    latency: { ...latenciesOf(result.latencies), label: 'due time → answer' },
    cost,
    appProcesses: ['api', 'worker'],
    notes: [
      `answers other than 201: ${failures()}; backlog after the last request was due: ${result.drainSeconds.toFixed(1)} s`,
      `p99 of each 5 s, by due time (ms): ${p99BySlice(result.samples, 5000)
        .map((p99) => p99.toFixed(0))
        .join(', ')}`,
    ],
    target: 'p99 ≤ 50 ms',
  };
}

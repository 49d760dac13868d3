/**
 * Booking benchmarks for `npm run bench`: one-time links minted per second, and booking POSTs per
 * second with p50/p99 latency at 50 concurrent connections over distinct links, over real HTTP.
 */
import type { AddressInfo } from 'node:net';
import { WEEKDAYS } from '../src/booking/calendar-schema';
import { createCalendar } from '../src/booking/calendar-service';
import { availabilitySlots } from '../src/booking/slots';
import { createApp } from '../src/roles/http-app';
import { mintLink } from '../src/links/link-service';
import { bookingUrl } from '../src/links/booking-url';
import { urlSignerOf } from '../src/lib/signed-tokens';
import { createTestAccount, type TestEnv } from '../test/helpers/test-env';

export interface BookingBenchOptions {
  /** Links minted, and bookings made. Default 2000. */
  count?: number;
  /** Concurrent minters / HTTP connections. Default 50. */
  concurrency?: number;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

/** Runs `work(i)` for i in [0, count) with `concurrency` loops pulling from one counter. */
async function pool(count: number, concurrency: number, work: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await work(next++);
    }),
  );
}

async function setUp(env: TestEnv, count: number, accountId?: string) {
  accountId ??= (await createTestAccount(env.container)).accountId;
  // Every day, all day, 5-minute slots for a year: far more distinct slots than bookings.
  const calendar = await env.container.db.transaction((tx) =>
    createCalendar(tx, accountId, {
      name: 'Bench',
      timezone: 'UTC',
      durationMinutes: 5,
      bookingWindowDays: 365,
      availability: WEEKDAYS.map((day) => ({ day, start: '00:00', end: '24:00' })),
    }),
  );
  const contacts: { id: string }[] = await env.container.db.query(
    `INSERT INTO contacts (account_id, email) SELECT $1, 'booker-' || gen_random_uuid() || '@example.com' FROM generate_series(1, $2) g RETURNING id`,
    [accountId, count],
  );
  return { accountId, calendar, contactIds: contacts.map((row) => row.id) };
}

export interface BookingTargets {
  /** `/book/<token>` of a fresh one-time link, one per booking. */
  paths: string[];
  /** The JSON body of each booking: a distinct slot each. */
  bodies: { start: string }[];
}

/**
 * `count` one-time links, each to its own contact, on a fresh calendar of `accountId`, and as many
 * distinct free slots: what `count` booking POSTs need (setup, minted 20 at a time).
 */
export async function prepareBookings(env: TestEnv, count: number, accountId?: string): Promise<BookingTargets> {
  const { calendar, contactIds, accountId: account } = await setUp(env, count, accountId);
  const urls = urlSignerOf(env.config);
  const paths: string[] = new Array<string>(count);
  await pool(count, 20, async (i) => {
    const { row } = await mintLink(
      env.container.db.manager,
      { accountId: account, calendarId: calendar.id, contactId: contactIds[i] },
      urls.secret,
    );
    paths[i] = new URL(bookingUrl(urls, row.id, row.token_salt)).pathname;
  });
  const from = new Date(Date.now() + 3600_000);
  const slots = availabilitySlots(calendar, from, new Date(from.getTime() + (count + 10) * 5 * 60_000));
  return { paths, bodies: slots.slice(0, count).map((slot) => ({ start: slot.start.toISOString() })) };
}

/** One-time links minted per second through the mint service (what the action and the API call). */
export async function benchLinkMinting(
  env: TestEnv,
  options: BookingBenchOptions = {},
): Promise<{ linksPerSec: number }> {
  const count = options.count ?? 2000;
  const { accountId, calendar, contactIds } = await setUp(env, count);
  const started = Date.now();
  await pool(count, options.concurrency ?? 50, (i) =>
    env.container.db.transaction(async (tx) => {
      await mintLink(tx, { accountId, calendarId: calendar.id, contactId: contactIds[i] }, env.config.LINK_SECRET);
    }),
  );
  return { linksPerSec: count / ((Date.now() - started) / 1000) };
}

/**
 * The address of the visitor of booking `i`, as a proxy in front of the app names it: bookings come
 * from people, each counted by the public rate limit at its default budget, as deployed.
 */
export const visitorAddress = (i: number): string => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;

/** Booking POSTs per second and their latency, each on its own link and slot, over HTTP keep-alive connections. */
export async function benchBookings(
  env: TestEnv,
  options: BookingBenchOptions = {},
): Promise<{ bookingsPerSec: number; p50: number; p99: number; failures: number }> {
  const count = options.count ?? 2000;
  const { paths, bodies } = await prepareBookings(env, count);

  // The public rate limit as deployed, each booking from a visitor of its own (visitorAddress).
  const behindProxy = { ...env.container, config: { ...env.container.config, TRUST_PROXY: '1' } };
  const server = createApp(behindProxy).listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const latencies: number[] = [];
  let failures = 0;
  const started = Date.now();
  try {
    await pool(count, options.concurrency ?? 50, async (i) => {
      const sent = performance.now();
      const response = await fetch(`${base}${paths[i]}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          'x-forwarded-for': visitorAddress(i),
        },
        body: JSON.stringify(bodies[i]),
      });
      await response.arrayBuffer();
      latencies.push(performance.now() - sent);
      if (response.status !== 201) failures++;
    });
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  const elapsed = (Date.now() - started) / 1000;
  const sorted = latencies.sort((a, b) => a - b);
  return { bookingsPerSec: count / elapsed, p50: percentile(sorted, 50), p99: percentile(sorted, 99), failures };
}

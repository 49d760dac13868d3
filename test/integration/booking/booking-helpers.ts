import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import type { Container } from '../../../src/container';
import { WEEKDAYS } from '../../../src/booking/calendar-schema';
import { createApp } from '../../../src/roles/http-app';
import { createTestAccount, createTestEnv, type TestEnv } from '../../helpers/test-env';

/** Every day, all day: enough slots for any race. */
export const ALL_DAY = WEEKDAYS.map((day) => ({ day, start: '00:00', end: '24:00' }));

/** The app listening on 127.0.0.1, so concurrent requests really are concurrent connections. */
export async function listen(
  container: Container,
): Promise<{ server: Server; url: string; close: () => Promise<void> }> {
  const server = createApp(container).listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    server,
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface BookingApi {
  createCalendar(
    body?: Record<string, unknown>,
  ): Promise<{ id: string; slug: string; name: string; timezone: string } & Record<string, unknown>>;
  mintLink(
    calendarId: string,
    body?: Record<string, unknown>,
  ): Promise<{ id: string; url: string; status: string; uses: number } & Record<string, unknown>>;
  slots(calendarId: string, query?: Record<string, string>): Promise<{ start: string; end: string }[]>;
  link(
    linkId: string,
  ): Promise<{ id: string; status: string; uses: number; redeemedAt: string | null } & Record<string, unknown>>;
}

/** API calls the booking tests repeat, with the account's key; each asserts its own success status. */
export function bookingApi(target: Parameters<typeof request>[0], apiKey: string): BookingApi {
  const auth = { Authorization: `Bearer ${apiKey}` };
  return {
    async createCalendar(body = {}) {
      const response = await request(target)
        .post('/api/v1/calendars')
        .set(auth)
        .send({
          name: 'Intro call',
          timezone: 'UTC',
          availability: ALL_DAY,
          ownerName: 'Olive Owner',
          ownerEmail: 'olive@example.com',
          ...body,
        })
        .expect(201);
      return response.body;
    },
    async mintLink(calendarId, body = {}) {
      return (
        await request(target).post(`/api/v1/calendars/${calendarId}/one-time-links`).set(auth).send(body).expect(201)
      ).body;
    },
    async slots(calendarId, query = {}) {
      return (await request(target).get(`/api/v1/calendars/${calendarId}/slots`).query(query).set(auth).expect(200))
        .body.items;
    },
    async link(linkId) {
      return (await request(target).get(`/api/v1/one-time-links/${linkId}`).set(auth).expect(200)).body;
    },
  };
}

/** `/book/<token>` of a link URL. */
export function bookPath(url: string): string {
  return new URL(url).pathname;
}

/** The token of a booking URL. */
export function tokenOf(url: string): string {
  return bookPath(url).split('/').pop()!;
}

/** A test's own database and app listening, with an account, its booking API and one calendar. */
export interface BookingFixture {
  env: TestEnv;
  http: Awaited<ReturnType<typeof listen>>;
  api: BookingApi;
  accountId: string;
  calendarId: string;
  close(): Promise<void>;
}

/** Starts a BookingFixture whose calendar is created with `calendar` (createCalendar's body). */
export async function startBookingFixture(calendar: Record<string, unknown>): Promise<BookingFixture> {
  const env = await createTestEnv({ PUBLIC_URL: 'https://book.example.test' });
  const account = await createTestAccount(env.container);
  const http = await listen(env.container);
  const api = bookingApi(http.server, account.apiKey);
  const calendarId = (await api.createCalendar(calendar)).id;
  return {
    env,
    http,
    api,
    accountId: account.accountId,
    calendarId,
    close: async () => {
      await http.close();
      await env.cleanup();
    },
  };
}

/**
 * `count` one-time links written straight into the table (no token anyone could open), `status` each,
 * of one contact and calendar, expiring in a day: the bulk a statement's plan is checked against.
 */
export async function insertLinks(
  db: { query(sql: string, params: unknown[]): Promise<unknown> },
  options: { accountId: string; calendarId: string; contactId: string; status: 'active' | 'used'; count: number },
): Promise<void> {
  await db.query(
    `INSERT INTO one_time_links (id, account_id, calendar_id, contact_id, token_hash, token_salt, status, max_uses, expires_at)
     SELECT gen_random_uuid(), $1, $2, $3, 'bulk-' || gen_random_uuid(), 'salt', $4, 1, now() + interval '1 day'
       FROM generate_series(1, $5::int) g`,
    [options.accountId, options.calendarId, options.contactId, options.status, options.count],
  );
}

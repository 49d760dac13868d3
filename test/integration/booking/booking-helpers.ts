import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import type { Container } from '../../../src/container';
import { WEEKDAYS } from '../../../src/booking/calendar-schema';
import { createApp } from '../../../src/roles/http-app';

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

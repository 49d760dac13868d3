import request from 'supertest';
import { createApp } from '../../../src/roles/http-app';
import { createTestAccount, createTestEnv, type TestEnv } from '../../helpers/test-env';
import { bookingApi, bookPath } from '../booking/booking-helpers';

interface Stored {
  first_viewed_at: Date | null;
  status: string;
  uses: number;
  expires_at: Date;
}

describe('the first view of a booking page', () => {
  let env: TestEnv;
  let apiKey: string;
  let calendarId: string;
  const app = () => createApp(env.container);
  const stored = async (linkId: string): Promise<Stored> =>
    (
      await env.container.db.query(
        'SELECT first_viewed_at, status, uses, expires_at FROM one_time_links WHERE id = $1',
        [linkId],
      )
    )[0];

  beforeAll(async () => {
    env = await createTestEnv({ PUBLIC_URL: 'https://book.example.test' });
    ({ apiKey } = await createTestAccount(env.container));
    calendarId = (await bookingApi(app(), apiKey).createCalendar({ slug: 'viewed' })).id;
  });
  afterAll(async () => {
    await env.cleanup();
  });

  it('is recorded once, by GET, and changes neither status, uses nor expiry', async () => {
    const link = await bookingApi(app(), apiKey).mintLink(calendarId);
    const before = await stored(link.id);
    await request(app()).head(bookPath(link.url)).expect(200);
    expect((await stored(link.id)).first_viewed_at).toBeNull();

    await request(app()).get(bookPath(link.url)).expect(200);
    const first = await stored(link.id);
    expect(first.first_viewed_at).toBeInstanceOf(Date);
    expect(first).toMatchObject({ status: 'active', uses: 0, expires_at: before.expires_at });

    await request(app()).get(bookPath(link.url)).set('Accept', 'application/json').expect(200);
    expect((await stored(link.id)).first_viewed_at).toEqual(first.first_viewed_at);
  });

  it('leaves a viewed single-use link bookable exactly once', async () => {
    const link = await bookingApi(app(), apiKey).mintLink(calendarId);
    const page = await request(app()).get(bookPath(link.url)).set('Accept', 'application/json').expect(200);
    await request(app()).get(bookPath(link.url)).expect(200);
    const book = (start: string) =>
      request(app())
        .post(bookPath(link.url))
        .set('Accept', 'application/json')
        .send({ start, name: 'Vic Viewer', email: 'vic@example.com' });
    expect((await book(page.body.slots[0].start)).status).toBe(201);
    const again = await book(page.body.slots[1].start);
    expect(again.status).toBe(410);
    expect(await stored(link.id)).toMatchObject({ status: 'used', uses: 1 });
  });

  it('is recorded for a link that has already gone, which still shows as gone', async () => {
    const link = await bookingApi(app(), apiKey).mintLink(calendarId);
    await request(app())
      .delete(`/api/v1/one-time-links/${link.id}`)
      .set('Authorization', `Bearer ${apiKey}`)
      .expect(200);
    await request(app()).get(bookPath(link.url)).expect(410);
    expect(await stored(link.id)).toMatchObject({ status: 'revoked', first_viewed_at: expect.any(Date) });
  });
});

import request from 'supertest';
import { expireLinks } from '../../../src/links/link-expiry';
import { createTestAccount, createTestEnv, type TestEnv } from '../../helpers/test-env';
import { addContact } from '../../helpers/engine';
import { bookingApi, bookPath, listen, type BookingApi } from './booking-helpers';

describe('expiring one-time links', () => {
  let env: TestEnv;
  let http: Awaited<ReturnType<typeof listen>>;
  let api: BookingApi;
  let accountId: string;

  beforeAll(async () => {
    env = await createTestEnv();
    const account = await createTestAccount(env.container);
    accountId = account.accountId;
    http = await listen(env.container);
    api = bookingApi(http.server, account.apiKey);
  });
  afterAll(async () => {
    await http.close();
    await env.cleanup();
  });

  it('marks links past their time expired and emits link.expired exactly once, however often it runs', async () => {
    const calendar = await api.createCalendar({ slug: 'expiry' });
    const contact = await addContact(env.container, accountId, { email: 'never-booked@example.com' });
    const short = await api.mintLink(calendar.id, { contactId: contact.id, expiresIn: '1s' });
    const anonymous = await api.mintLink(calendar.id, { expiresIn: 1000 });
    const long = await api.mintLink(calendar.id, { contactId: contact.id, expiresIn: '1h' });
    const revoked = await api.mintLink(calendar.id, { expiresIn: '1s' });
    await env.container.db.query(`UPDATE one_time_links SET status = 'revoked' WHERE id = $1`, [revoked.id]);
    await new Promise((resolve) => setTimeout(resolve, 1100));

    // The page answers 410 before the job has run.
    expect((await request(http.server).get(bookPath(short.url))).status).toBe(410);

    const counts = await Promise.all([expireLinks(env.container.db), expireLinks(env.container.db)]);
    expect(counts[0]! + counts[1]!).toBe(2);
    expect(await expireLinks(env.container.db)).toBe(0);

    const statuses: { id: string; status: string }[] = await env.container.db.query(
      'SELECT id, status FROM one_time_links',
    );
    expect(Object.fromEntries(statuses.map((row) => [row.id, row.status]))).toEqual({
      [short.id]: 'expired',
      [anonymous.id]: 'expired',
      [long.id]: 'active',
      [revoked.id]: 'revoked',
    });
    const events: { contact_id: string | null; data: Record<string, unknown> }[] = await env.container.db.query(
      `SELECT contact_id, data FROM outbox_events WHERE type = 'link.expired' ORDER BY id`,
    );
    expect(events).toHaveLength(2);
    expect(events).toEqual(
      expect.arrayContaining([
        {
          contact_id: contact.id,
          data: expect.objectContaining({
            linkId: short.id,
            calendarId: calendar.id,
            calendarSlug: 'expiry',
            contactId: contact.id,
            uses: 0,
          }),
        },
        { contact_id: null, data: expect.objectContaining({ linkId: anonymous.id, contactId: null }) },
      ]),
    );
    expect(await api.link(short.id)).toMatchObject({ status: 'expired' });
  });
});

import request from 'supertest';
import { createTestAccount, createTestEnv, type TestEnv } from '../../helpers/test-env';
import { addContact } from '../../helpers/engine';
import { bookingApi, bookPath, listen, tokenOf, type BookingApi } from './booking-helpers';

describe('redeeming a one-time link', () => {
  let env: TestEnv;
  let http: Awaited<ReturnType<typeof listen>>;
  let api: BookingApi;
  let accountId: string;
  let apiKey: string;
  let calendarId: string;

  beforeAll(async () => {
    env = await createTestEnv({ PUBLIC_URL: 'https://book.example.test' });
    const account = await createTestAccount(env.container);
    ({ accountId, apiKey } = account);
    http = await listen(env.container);
    api = bookingApi(http.server, account.apiKey);
    calendarId = (await api.createCalendar({ slug: 'races', durationMinutes: 30 })).id;
  });
  afterAll(async () => {
    await http.close();
    await env.cleanup();
  });

  const book = (url: string, start: unknown, extra: Record<string, unknown> = {}) =>
    request(http.server)
      .post(bookPath(url))
      .set('Accept', 'application/json')
      .send({ start, ...extra });

  /** Free slots far enough apart that tests in this file never share one. */
  let nextSlot = 0;
  const takeSlots = async (count: number): Promise<string[]> => {
    const slots = await api.slots(calendarId);
    const taken = slots.slice(nextSlot, nextSlot + count).map((slot) => slot.start);
    nextSlot += count;
    return taken;
  };

  const events = async (type: string): Promise<{ contact_id: string | null; data: Record<string, unknown> }[]> =>
    env.container.db.query('SELECT contact_id, data FROM outbox_events WHERE type = $1 ORDER BY id', [type]);

  it('lets exactly one of 50 concurrent bookings of a single-use link through', async () => {
    const contact = await addContact(env.container, accountId, { email: 'racer@example.com' });
    const link = await api.mintLink(calendarId, { contactId: contact.id });
    const starts = await takeSlots(50);
    const responses = await Promise.all(starts.map((start) => book(link.url, start)));
    const statuses = responses.map((response) => response.status).sort();
    expect(statuses.filter((status) => status === 201)).toHaveLength(1);
    expect(statuses.filter((status) => status === 410)).toHaveLength(49);
    expect(responses.filter((r) => r.status === 410).every((r) => r.body.error.code === 'gone')).toBe(true);

    const winner = responses.find((response) => response.status === 201)!.body.appointment;
    expect(winner).toMatchObject({ id: expect.any(String), start: expect.any(String), end: expect.any(String) });
    expect(winner.rescheduleUrl).toMatch(/^https:\/\/book\.example\.test\/book\/reschedule\/[A-Za-z0-9_-]{43}$/);
    expect(winner.cancelUrl).toMatch(/^https:\/\/book\.example\.test\/book\/cancel\/[A-Za-z0-9_-]{43}$/);
    expect(await api.link(link.id)).toMatchObject({ status: 'used', uses: 1, redeemedAt: expect.any(String) });
    const appointments: unknown[] = await env.container.db.query('SELECT 1 FROM appointments WHERE link_id = $1', [
      link.id,
    ]);
    expect(appointments).toHaveLength(1);

    const data = {
      linkId: link.id,
      contactId: contact.id,
      calendarId,
      calendarSlug: 'races',
      appointmentId: winner.id,
      start: winner.start,
      end: winner.end,
    };
    expect((await events('link.redeemed')).filter((e) => e.data.linkId === link.id)).toEqual([
      { contact_id: contact.id, data: expect.objectContaining(data) },
    ]);
    expect((await events('appointment.booked')).filter((e) => e.data.linkId === link.id)).toEqual([
      { contact_id: contact.id, data: expect.objectContaining(data) },
    ]);
  });

  it('lets exactly three of 50 concurrent bookings through with maxUses 3', async () => {
    const contact = await addContact(env.container, accountId, { email: 'thrice@example.com' });
    const link = await api.mintLink(calendarId, { contactId: contact.id, maxUses: 3 });
    const responses = await Promise.all((await takeSlots(50)).map((start) => book(link.url, start)));
    expect(responses.filter((response) => response.status === 201)).toHaveLength(3);
    expect(responses.filter((response) => response.status === 410)).toHaveLength(47);
    expect(await api.link(link.id)).toMatchObject({ status: 'used', uses: 3, maxUses: 3 });
  });

  it('gives one of two links racing for one slot a 409, and that link still books another slot', async () => {
    const [first, second] = await Promise.all([
      addContact(env.container, accountId, { email: 'left@example.com' }),
      addContact(env.container, accountId, { email: 'right@example.com' }),
    ]);
    const links = await Promise.all([
      api.mintLink(calendarId, { contactId: first.id }),
      api.mintLink(calendarId, { contactId: second.id }),
    ]);
    const [contested, spare] = await takeSlots(2);
    const responses = await Promise.all(links.map((link) => book(link.url, contested)));
    expect(responses.map((response) => response.status).sort()).toEqual([201, 409]);
    const loserIndex = responses.findIndex((response) => response.status === 409);
    expect(responses[loserIndex]!.body.error.code).toBe('slot_unavailable');
    const loser = links[loserIndex]!;
    expect(await api.link(loser.id)).toMatchObject({ status: 'active', uses: 0, redeemedAt: null });
    expect((await book(loser.url, spare)).status).toBe(201);
    expect(await api.link(loser.id)).toMatchObject({ status: 'used', uses: 1 });
  });

  it('answers 404 for an unknown token and 400 for a malformed start, leaving the link usable', async () => {
    const link = await api.mintLink(calendarId, {
      contactId: (await addContact(env.container, accountId, { email: 'typo@example.com' })).id,
    });
    const [start] = await takeSlots(1);
    const unknown = await request(http.server)
      .post('/book/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')
      .set('Accept', 'application/json')
      .send({ start });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('not_found');
    expect((await request(http.server).get('/book/not-a-token').set('Accept', 'application/json')).status).toBe(404);

    for (const bad of ['tomorrow', '', 42, null, '2026-13-45T99:00:00Z']) {
      const response = await book(link.url, bad);
      expect(response.status).toBe(400);
      expect(response.body.error.code).toBe('validation_failed');
      expect(response.body.error.issues[0].path).toBe('start');
    }
    expect(
      (await request(http.server).post(bookPath(link.url)).set('Accept', 'application/json').send({})).status,
    ).toBe(400);
    expect(await api.link(link.id)).toMatchObject({ status: 'active', uses: 0 });
    expect((await book(link.url, start)).status).toBe(201);
  });

  it('refuses a start outside the availability with 400 and the link stays usable', async () => {
    const nineToFive = await api.createCalendar({
      name: 'Office hours',
      timezone: 'Europe/Paris',
      availability: [{ day: 'mon', start: '09:00', end: '10:00' }],
    });
    const link = await api.mintLink(nineToFive.id, {
      contactId: (await addContact(env.container, accountId, { email: 'offgrid@example.com' })).id,
    });
    const [slot] = await api.slots(nineToFive.id);
    const offGrid = new Date(new Date(slot!.start).getTime() + 15 * 60_000).toISOString();
    const lateNight = new Date(new Date(slot!.start).getTime() + 12 * 3600_000).toISOString();
    const past = new Date(new Date(slot!.start).getTime() - 7 * 24 * 3600_000).toISOString();
    const beyondWindow = new Date(new Date(slot!.start).getTime() + 10 * 7 * 24 * 3600_000).toISOString();
    for (const start of [offGrid, lateNight, past, beyondWindow]) {
      const response = await book(link.url, start);
      expect(response.status).toBe(400);
      expect(response.body.error.issues).toEqual([{ path: 'start', message: expect.any(String) }]);
    }
    expect(await api.link(link.id)).toMatchObject({ status: 'active', uses: 0 });
    expect((await book(link.url, slot!.start)).status).toBe(201);
    // The slot is now gone from the list.
    expect((await api.slots(nineToFive.id)).map((s) => s.start)).not.toContain(slot!.start);
  });

  it('answers 410 once a link has expired, even if it was never used', async () => {
    const link = await api.mintLink(calendarId, { expiresIn: '1s' });
    const [start] = await takeSlots(1);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const response = await book(link.url, start, { name: 'Late Larry', email: 'late@example.com' });
    expect(response.status).toBe(410);
    expect(response.body.error.code).toBe('gone');
    expect(await api.link(link.id)).toMatchObject({ status: 'expired', uses: 0 });
    expect((await request(http.server).get(bookPath(link.url))).status).toBe(410);
  });

  it('answers 410 for a revoked link', async () => {
    const link = await api.mintLink(calendarId, {
      contactId: (await addContact(env.container, accountId, { email: 'revoked@example.com' })).id,
    });
    const [start] = await takeSlots(1);
    const revoked = await request(http.server)
      .delete(`/api/v1/one-time-links/${link.id}`)
      .set('Authorization', `Bearer ${apiKey}`);
    expect(revoked.status).toBe(200);
    expect(revoked.body.status).toBe('revoked');
    const response = await book(link.url, start);
    expect(response.status).toBe(410);
    expect(response.body.error.code).toBe('gone');
    expect(await api.link(link.id)).toMatchObject({ status: 'revoked', uses: 0 });
  });

  it('never changes anything on GET or HEAD', async () => {
    const contact = await addContact(env.container, accountId, {
      email: 'scanner@example.com',
      firstName: 'Sam',
      lastName: 'Scan',
    });
    const link = await api.mintLink(calendarId, { contactId: contact.id });
    for (let i = 0; i < 3; i++) {
      expect((await request(http.server).get(bookPath(link.url))).status).toBe(200);
      expect((await request(http.server).head(bookPath(link.url))).status).toBe(200);
    }
    const json = await request(http.server).get(bookPath(link.url)).set('Accept', 'application/json').expect(200);
    expect(json.body).toMatchObject({
      calendar: { name: 'Intro call', timezone: 'UTC', durationMinutes: 30 },
      contact: { firstName: 'Sam', lastName: 'Scan', email: 'scanner@example.com' },
    });
    expect(json.body.slots.length).toBeGreaterThan(100);
    expect(await api.link(link.id)).toMatchObject({ status: 'active', uses: 0, redeemedAt: null });
    expect(tokenOf(link.url)).toHaveLength(43);
  });

  it('asks a link without a contact for name and email, and finds or creates the contact', async () => {
    const link = await api.mintLink(calendarId, { maxUses: 2 });
    const [first, second] = await takeSlots(2);
    const missing = await book(link.url, first);
    expect(missing.status).toBe(400);
    expect(missing.body.error.issues.map((issue: { path: string }) => issue.path).sort()).toEqual(['email', 'name']);
    expect((await book(link.url, first, { name: 'Nora New', email: 'nora@example.com' })).status).toBe(201);
    expect((await book(link.url, second, { name: 'Someone Else', email: 'NORA@example.com' })).status).toBe(201);
    const contacts: { first_name: string; last_name: string }[] = await env.container.db.query(
      `SELECT first_name, last_name FROM contacts WHERE account_id = $1 AND lower(email) = 'nora@example.com'`,
      [accountId],
    );
    expect(contacts).toEqual([{ first_name: 'Nora', last_name: 'New' }]);
  });
});

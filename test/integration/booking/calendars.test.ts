import request from 'supertest';
import { DateTime } from 'luxon';
import { createApp } from '../../../src/roles/http-app';
import { createTestAccount, createTestEnv, type TestEnv } from '../../helpers/test-env';
import { addContact } from '../../helpers/engine';
import { ALL_DAY, bookingApi, bookPath, type BookingApi } from './booking-helpers';

describe('calendars, links and appointments over the API', () => {
  let env: TestEnv;
  let api: BookingApi;
  let apiKey: string;
  let accountId: string;
  let other: { apiKey: string; accountId: string };
  const app = () => createApp(env.container);
  const as = (key: string) => ({ Authorization: `Bearer ${key}` });

  beforeAll(async () => {
    env = await createTestEnv({ PUBLIC_URL: 'https://cal.example.test' });
    ({ apiKey, accountId } = await createTestAccount(env.container));
    other = await createTestAccount(env.container);
    api = bookingApi(app(), apiKey);
  });
  afterAll(async () => env.cleanup());

  it('creates, reads, lists and patches a calendar with defaults', async () => {
    const created = await api.createCalendar({
      name: 'Sales Call!',
      timezone: 'Europe/Berlin',
      ownerName: undefined,
      ownerEmail: undefined,
      slug: undefined,
    });
    expect(created).toMatchObject({
      name: 'Sales Call!',
      slug: 'sales-call',
      timezone: 'Europe/Berlin',
      durationMinutes: 30,
      bookingWindowDays: 30,
      minNoticeMinutes: 0,
      ownerName: null,
      ownerEmail: null,
    });
    const again = await api.createCalendar({ name: 'Sales call', timezone: 'UTC', slug: undefined });
    expect(again.slug).toMatch(/^sales-call-[0-9a-f]{6}$/);
    expect((await request(app()).get(`/api/v1/calendars/${created.id}`).set(as(apiKey)).expect(200)).body).toEqual(
      created,
    );
    const patched = await request(app())
      .patch(`/api/v1/calendars/${created.id}`)
      .set(as(apiKey))
      .send({ slug: 'sales', durationMinutes: 45, ownerEmail: 'boss@example.com' })
      .expect(200);
    expect(patched.body).toMatchObject({
      slug: 'sales',
      durationMinutes: 45,
      ownerEmail: 'boss@example.com',
      name: 'Sales Call!',
    });
    const list = await request(app()).get('/api/v1/calendars').set(as(apiKey)).expect(200);
    expect(list.body.items.map((c: { id: string }) => c.id)).toEqual(expect.arrayContaining([created.id, again.id]));
  });

  it('refuses a slug any account already uses with 409, and bad fields with 400 and their paths', async () => {
    await api.createCalendar({ slug: 'taken' });
    const mine = await request(app())
      .post('/api/v1/calendars')
      .set(as(apiKey))
      .send({ name: 'X', slug: 'taken', timezone: 'UTC', availability: [] });
    expect(mine.status).toBe(409);
    expect(mine.body.error.code).toBe('slug_taken');
    const theirs = await request(app())
      .post('/api/v1/calendars')
      .set(as(other.apiKey))
      .send({ name: 'X', slug: 'taken', timezone: 'UTC', availability: [] });
    expect(theirs.status).toBe(409);
    expect(theirs.body.error.code).toBe('slug_taken');
    const existing = await api.createCalendar({ slug: 'free-one' });
    const patch = await request(app())
      .patch(`/api/v1/calendars/${existing.id}`)
      .set(as(apiKey))
      .send({ slug: 'taken' });
    expect(patch.status).toBe(409);

    const bad = await request(app())
      .post('/api/v1/calendars')
      .set(as(apiKey))
      .send({
        name: '',
        slug: 'Bad Slug',
        timezone: 'Mars/Olympus',
        durationMinutes: 0,
        availability: [
          { day: 'funday', start: '9:00', end: '08:00' },
          { day: 'mon', start: '10:00', end: '09:00' },
        ],
      });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('validation_failed');
    expect(bad.body.error.issues.map((issue: { path: string }) => issue.path).sort()).toEqual(
      [
        'availability[0].day',
        'availability[0].start',
        'availability[1].end',
        'durationMinutes',
        'name',
        'slug',
        'timezone',
      ].sort(),
    );
    const uuidSlug = await request(app())
      .post('/api/v1/calendars')
      .set(as(apiKey))
      .send({ name: 'U', slug: '0b8a1c2e-1111-4222-8333-944455556666', timezone: 'UTC', availability: [] });
    expect(uuidSlug.status).toBe(400);
  });

  it('lists free slots at 09:00 New York time across the next DST change, and validates the range', async () => {
    const calendar = await api.createCalendar({
      slug: 'dst',
      timezone: 'America/New_York',
      bookingWindowDays: 365,
      availability: (['mon', 'tue', 'wed', 'thu', 'fri'] as const).map((day) => ({
        day,
        start: '09:00',
        end: '11:00',
      })),
    });
    // The next DST change in New York, whenever the test runs: the Sunday whose offset differs from the Friday before.
    let sunday = DateTime.now().setZone('America/New_York').startOf('day').plus({ days: 7 });
    while (!(sunday.weekday === 7 && sunday.minus({ days: 2 }).offset !== sunday.plus({ days: 1 }).offset))
      sunday = sunday.plus({ days: 1 });
    const from = sunday.minus({ days: 2 }).toUTC().toISO()!;
    const to = sunday.plus({ days: 6 }).toUTC().toISO()!;
    const slots = await api.slots(calendar.id, { from, to });
    expect(slots).toHaveLength(6 * 4);
    const firsts = slots
      .filter((_, index) => index % 4 === 0)
      .map((slot) => DateTime.fromISO(slot.start, { zone: 'America/New_York' }));
    expect(firsts.every((start) => start.toFormat('HH:mm') === '09:00')).toBe(true);
    expect(firsts[0]!.offset).not.toBe(firsts[1]!.offset);
    expect(new Set(firsts.slice(1).map((start) => start.offset)).size).toBe(1);
    expect(slots[0]!.end).toBe(DateTime.fromISO(slots[0]!.start).plus({ minutes: 30 }).toUTC().toISO());

    const query = (q: Record<string, string>) =>
      request(app()).get(`/api/v1/calendars/${calendar.id}/slots`).query(q).set(as(apiKey));
    expect((await query({ from: 'yesterday' })).body.error.issues[0].path).toBe('from');
    expect((await query({ from: to, to: from })).body.error.issues[0].path).toBe('to');
    expect((await query({ from, to: sunday.plus({ days: 80 }).toUTC().toISO()! })).status).toBe(400);
    expect((await query({})).status).toBe(200);
  });

  it('mints, lists, reads and revokes one-time links, and shares a calendar', async () => {
    const calendar = await api.createCalendar({ slug: 'share-me', name: 'Share <me>' });
    const contact = await addContact(env.container, accountId, { email: 'links@example.com' });
    const link = await api.mintLink(calendar.id, { contactId: contact.id, expiresIn: '2h', maxUses: 2 });
    expect(link).toEqual({
      id: expect.any(String),
      url: expect.stringMatching(/^https:\/\/cal\.example\.test\/book\/[A-Za-z0-9_-]{43}$/),
      calendarId: calendar.id,
      contactId: contact.id,
      status: 'active',
      uses: 0,
      maxUses: 2,
      expiresAt: expect.any(String),
      redeemedAt: null,
      createdAt: expect.any(String),
    });
    expect(Math.abs(new Date(link.expiresAt as string).getTime() - Date.now() - 2 * 3600_000)).toBeLessThan(60_000);
    expect(
      (
        await request(app())
          .post(`/api/v1/calendars/${calendar.id}/one-time-links`)
          .set(as(apiKey))
          .send({ maxUses: 0 })
      ).status,
    ).toBe(400);
    expect(
      (
        await request(app())
          .post(`/api/v1/calendars/${calendar.id}/one-time-links`)
          .set(as(apiKey))
          .send({ contactId: '00000000-0000-4000-8000-000000000000' })
      ).status,
    ).toBe(404);

    const share = await request(app()).get(`/api/v1/calendars/${calendar.id}/share`).set(as(apiKey)).expect(200);
    expect(share.body).toMatchObject({
      schedulingLink: 'https://cal.example.test/c/share-me',
      permanentLink: `https://cal.example.test/c/${calendar.id}`,
      oneTimeLink: expect.stringMatching(/^https:\/\/cal\.example\.test\/book\/[A-Za-z0-9_-]{43}$/),
    });
    expect(share.body.embedCode).toBe(
      '<iframe src="https://cal.example.test/c/share-me" title="Book a time: Share &lt;me&gt;" width="100%" height="720" frameborder="0" loading="lazy"></iframe>',
    );
    // The Share dialog's three forms of embed code, beside the inline one of old.
    expect(share.body.embed).toEqual({
      inline: share.body.embedCode,
      popup:
        '<script src="https://cal.example.test/embed.js" defer></script>\n<button type="button" data-linkflow-popup="https://cal.example.test/c/share-me" data-linkflow-title="Book a time: Share &lt;me&gt;">Book a time</button>',
      link: '<a href="https://cal.example.test/c/share-me">Book a time: Share &lt;me&gt;</a>',
    });
    const shareAgain = await request(app()).get(`/api/v1/calendars/${calendar.id}/share`).set(as(apiKey)).expect(200);
    expect(shareAgain.body.oneTimeLink).not.toBe(share.body.oneTimeLink);
    expect(
      (await request(app()).get(bookPath(share.body.oneTimeLink)).set('Accept', 'application/json')).body.contact,
    ).toBeNull();

    const list = await request(app())
      .get('/api/v1/one-time-links')
      .query({ calendarId: calendar.id })
      .set(as(apiKey))
      .expect(200);
    expect(list.body.items).toHaveLength(3);
    const byContact = await request(app())
      .get('/api/v1/one-time-links')
      .query({ contactId: contact.id, status: 'active' })
      .set(as(apiKey))
      .expect(200);
    expect(byContact.body.items.map((item: { id: string }) => item.id)).toEqual([link.id]);
    const page = await request(app())
      .get('/api/v1/one-time-links')
      .query({ calendarId: calendar.id, limit: '2' })
      .set(as(apiKey))
      .expect(200);
    expect(page.body.items).toHaveLength(2);
    const rest = await request(app())
      .get('/api/v1/one-time-links')
      .query({ calendarId: calendar.id, limit: '2', cursor: page.body.nextCursor })
      .set(as(apiKey))
      .expect(200);
    expect(rest.body.items).toHaveLength(1);
    expect(rest.body.nextCursor).toBeNull();

    await request(app()).delete(`/api/v1/one-time-links/${link.id}`).set(as(apiKey)).expect(200);
    const revoked = await request(app())
      .get('/api/v1/one-time-links')
      .query({ contactId: contact.id, status: 'revoked' })
      .set(as(apiKey))
      .expect(200);
    expect(revoked.body.items.map((item: { id: string; status: string }) => [item.id, item.status])).toEqual([
      [link.id, 'revoked'],
    ]);
  });

  it('lists appointments by calendar and contact, and cancels one for the owner', async () => {
    const calendar = await api.createCalendar({ slug: 'appointments', availability: ALL_DAY });
    const contact = await addContact(env.container, accountId, { email: 'appt@example.com' });
    const link = await api.mintLink(calendar.id, { contactId: contact.id, maxUses: 2 });
    const [first, second] = await api.slots(calendar.id);
    for (const slot of [second!, first!])
      await request(app()).post(bookPath(link.url)).send({ start: slot.start }).expect(201);
    const list = await request(app())
      .get('/api/v1/appointments')
      .query({ calendarId: calendar.id, contactId: contact.id })
      .set(as(apiKey))
      .expect(200);
    expect(list.body.items.map((item: { start: string }) => item.start)).toEqual([first!.start, second!.start]);
    expect(list.body.items[0]).toMatchObject({
      calendarId: calendar.id,
      contactId: contact.id,
      linkId: link.id,
      status: 'booked',
      rescheduleUrl: expect.stringContaining('https://cal.example.test/book/reschedule/'),
    });
    const id = list.body.items[0].id;
    const cancelled = await request(app()).post(`/api/v1/appointments/${id}/cancel`).set(as(apiKey)).expect(200);
    expect(cancelled.body).toMatchObject({ id, status: 'cancelled', cancelledAt: expect.any(String) });
    expect((await api.slots(calendar.id)).map((slot) => slot.start)).toContain(first!.start);
    expect(
      (await request(app()).get('/api/v1/appointments').query({ status: 'cancelled' }).set(as(apiKey)).expect(200)).body
        .items,
    ).toHaveLength(1);
    expect((await request(app()).get('/api/v1/appointments').query({ cursor: 'garbage' }).set(as(apiKey))).status).toBe(
      400,
    );
  });

  it("answers 404 for another account's calendars, links and appointments", async () => {
    const calendar = await api.createCalendar({ slug: 'private' });
    const link = await api.mintLink(calendar.id);
    const [slot] = await api.slots(calendar.id);
    const booked = await request(app())
      .post(bookPath(link.url))
      .send({ start: slot!.start, name: 'A', email: 'a@example.com' })
      .expect(201);
    const theirs = as(other.apiKey);
    for (const path of [
      `/api/v1/calendars/${calendar.id}`,
      `/api/v1/calendars/${calendar.id}/slots`,
      `/api/v1/calendars/${calendar.id}/share`,
      `/api/v1/one-time-links/${link.id}`,
      `/api/v1/appointments/${booked.body.appointment.id}`,
      '/api/v1/calendars/not-a-uuid',
    ]) {
      const response = await request(app()).get(path).set(theirs);
      expect([path, response.status, response.body.error?.code]).toEqual([path, 404, 'not_found']);
    }
    expect(
      (await request(app()).patch(`/api/v1/calendars/${calendar.id}`).set(theirs).send({ name: 'Mine now' })).status,
    ).toBe(404);
    expect(
      (await request(app()).post(`/api/v1/calendars/${calendar.id}/one-time-links`).set(theirs).send({})).status,
    ).toBe(404);
    expect((await request(app()).delete(`/api/v1/one-time-links/${link.id}`).set(theirs)).status).toBe(404);
    expect(
      (await request(app()).post(`/api/v1/appointments/${booked.body.appointment.id}/cancel`).set(theirs)).status,
    ).toBe(404);
    expect((await request(app()).get('/api/v1/one-time-links').set(theirs).expect(200)).body.items).toEqual([]);
    expect((await request(app()).get('/api/v1/appointments').set(theirs).expect(200)).body.items).toEqual([]);
  });
});

import request from 'supertest';
import { createTestAccount, createTestEnv, type TestEnv } from '../../helpers/test-env';
import { addContact } from '../../helpers/engine';
import { bookingApi, bookPath, listen, type BookingApi } from './booking-helpers';

const CSP = /default-src 'none'.*frame-ancestors/;
const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

describe('the public booking pages', () => {
  let env: TestEnv;
  let http: Awaited<ReturnType<typeof listen>>;
  let api: BookingApi;
  let accountId: string;
  let calendar: { id: string; slug: string };

  beforeAll(async () => {
    env = await createTestEnv();
    const account = await createTestAccount(env.container);
    accountId = account.accountId;
    http = await listen(env.container);
    api = bookingApi(http.server, account.apiKey);
    calendar = await api.createCalendar({
      slug: 'coffee-chat',
      name: 'Coffee chat',
      timezone: 'America/New_York',
      availability: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((day) => ({
        day,
        start: '09:00',
        end: '17:00',
      })),
      ownerName: 'Olive Owner',
      ownerEmail: 'olive@example.com',
    });
  });
  afterAll(async () => {
    await http.close();
    await env.cleanup();
  });

  const get = (path: string) => request(http.server).get(path);
  const postForm = (path: string, fields: Record<string, string>) =>
    request(http.server)
      .post(path)
      .set('Content-Type', 'application/x-www-form-urlencoded')
      .set('Accept', 'text/html')
      .send(form(fields));
  const radios = (html: string): string[] =>
    [...html.matchAll(/<input type="radio" name="start" value="([^"]+)"/g)].map((m) => m[1]!);

  it('shows slots as labelled radio buttons grouped by day, in the visitor zone, with the contact prefilled', async () => {
    const contact = await addContact(env.container, accountId, {
      email: 'pat@example.com',
      firstName: 'Pat',
      lastName: 'Doe',
    });
    const link = await api.mintLink(calendar.id, { contactId: contact.id });
    const page = await get(bookPath(link.url)).set('Accept', 'text/html').expect(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.headers['content-security-policy']).toMatch(CSP);
    expect(page.headers['x-frame-options']).toBe('DENY');
    expect(page.text).toContain('Coffee chat');
    expect(page.text).toContain('With Olive Owner');
    expect(page.text).toContain('Booking as <strong>Pat Doe</strong> (pat@example.com)');
    expect(page.text).toMatch(/<fieldset class="slots">\s*<legend>\w+day, \w+ \d+<\/legend>/);
    expect(page.text).toContain('<label class="slot"><input type="radio" name="start"');
    expect(page.text).toMatch(/<button type="submit">Book this time<\/button>/);
    // One script, the booking widget's file from our own origin; nothing inline, nothing from elsewhere.
    expect(page.text.match(/<script[^>]*>/g)).toEqual(['<script type="module" src="/assets/client/booking.js">']);
    expect(page.text).not.toMatch(/<script[^>]*>[^<]|style=|https?:\/\/(?!localhost)/);
    const starts = radios(page.text);
    expect(starts.length).toBeGreaterThan(16);
    // Labels are in New York time by default (09:00 first), and in Tokyo time when asked.
    expect(page.text).toContain('<span>9:00 AM</span>');
    const tokyo = await get(`${bookPath(link.url)}?tz=Asia/Tokyo`).expect(200);
    expect(tokyo.text).toContain('<option value="Asia/Tokyo" selected>');
    expect(radios(tokyo.text)[0]).toBeDefined();
    const later = await get(
      `${bookPath(link.url)}?tz=America/New_York&date=${starts[starts.length - 1]!.slice(0, 10)}`,
    ).expect(200);
    expect(later.text).toContain('Earlier dates');
  });

  it('books through the form and confirms with the reschedule and cancel links', async () => {
    const contact = await addContact(env.container, accountId, { email: 'form@example.com', firstName: 'Fran' });
    const link = await api.mintLink(calendar.id, { contactId: contact.id });
    const [start] = radios((await get(bookPath(link.url)).expect(200)).text);
    const confirmation = await postForm(bookPath(link.url), { start: start!, tz: 'Europe/London' }).expect(201);
    expect(confirmation.headers['content-security-policy']).toMatch(CSP);
    expect(confirmation.text).toContain('You’re booked');
    expect(confirmation.text).toMatch(
      /<a id="reschedule-link" href="http:\/\/localhost:0\/book\/reschedule\/[A-Za-z0-9_-]{43}">Reschedule<\/a>/,
    );
    expect(confirmation.text).toMatch(
      /<a id="cancel-link" href="http:\/\/localhost:0\/book\/cancel\/[A-Za-z0-9_-]{43}">Cancel<\/a>/,
    );
    expect(confirmation.text).toMatch(/GMT|BST/);

    const again = await get(bookPath(link.url)).expect(410);
    expect(again.headers['content-security-policy']).toMatch(CSP);
    expect(again.text).toContain('This link has expired');
    expect(again.text).toContain(
      'Please contact Olive Owner at <a href="mailto:olive@example.com">olive@example.com</a>',
    );
    const repost = await postForm(bookPath(link.url), { start: start! }).expect(410);
    expect(repost.text).toContain('This link has expired');
  });

  it('shows the form again with a message when the slot was taken, and the link still books', async () => {
    const [first, second] = await Promise.all([
      addContact(env.container, accountId, { email: 'slow@example.com' }),
      addContact(env.container, accountId, { email: 'fast@example.com' }),
    ]);
    const slow = await api.mintLink(calendar.id, { contactId: first.id });
    const fast = await api.mintLink(calendar.id, { contactId: second.id });
    const [start, other] = radios((await get(bookPath(slow.url)).expect(200)).text);
    await postForm(bookPath(fast.url), { start: start! }).expect(201);
    const taken = await postForm(bookPath(slow.url), { start: start! }).expect(409);
    expect(taken.text).toContain('that time was just taken');
    expect(radios(taken.text)).not.toContain(start);
    const nothingChosen = await postForm(bookPath(slow.url), {}).expect(400);
    expect(nothingChosen.text).toContain('Please choose one of the times below.');
    await postForm(bookPath(slow.url), { start: other! }).expect(201);
  });

  it('shows the same expired page for an unknown token, without naming anyone', async () => {
    const unknown = await get('/book/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA').expect(404);
    expect(unknown.headers['content-security-policy']).toMatch(CSP);
    expect(unknown.text).toContain('This link has expired');
    expect(unknown.text).toContain('Please contact the person who sent it to you');
    expect(unknown.text).not.toContain('Olive');
    expect((await get('/book/short').expect(404)).text).toContain('This link has expired');
    expect((await get('/book/a/b/c').expect(404)).headers['content-security-policy']).toMatch(CSP);
  });

  it('reschedules without spending the link again, and cancelling frees the slot and emits appointment.cancelled', async () => {
    const contact = await addContact(env.container, accountId, { email: 'mover@example.com' });
    const link = await api.mintLink(calendar.id, { contactId: contact.id });
    const starts = radios((await get(bookPath(link.url)).expect(200)).text);
    const booked = await request(http.server).post(bookPath(link.url)).send({ start: starts[0] }).expect(201);
    const { rescheduleUrl, cancelUrl, id } = booked.body.appointment;

    const reschedulePage = await get(new URL(rescheduleUrl).pathname).expect(200);
    expect(reschedulePage.headers['content-security-policy']).toMatch(CSP);
    expect(reschedulePage.text).toContain('Currently booked');
    expect(reschedulePage.text).toContain('Move my appointment');
    const moved = await postForm(new URL(rescheduleUrl).pathname, { start: starts[3]! }).expect(200);
    expect(moved.text).toContain('Your appointment was moved');
    const moveJson = await request(http.server)
      .post(new URL(rescheduleUrl).pathname)
      .send({ start: starts[4] })
      .expect(200);
    expect(moveJson.body.appointment).toMatchObject({ id, start: starts[4], rescheduleUrl, cancelUrl });
    expect(await api.link(link.id)).toMatchObject({ uses: 1, status: 'used' });
    const offGrid = await request(http.server)
      .post(new URL(rescheduleUrl).pathname)
      .send({ start: '2020-01-01T00:00:00Z' });
    expect(offGrid.status).toBe(400);
    const rescheduled: { data: Record<string, unknown> }[] = await env.container.db.query(
      `SELECT data FROM outbox_events WHERE type = 'appointment.rescheduled' AND data->>'appointmentId' = $1 ORDER BY id`,
      [id],
    );
    expect(rescheduled.map((event) => event.data.start)).toEqual([starts[3], starts[4]]);

    // GET of the cancel link asks; it does not cancel (mail scanners open links).
    const ask = await get(new URL(cancelUrl).pathname).expect(200);
    expect(ask.text).toContain('Cancel your appointment?');
    expect(ask.headers['content-security-policy']).toMatch(CSP);
    const still: { status: string }[] = await env.container.db.query('SELECT status FROM appointments WHERE id = $1', [
      id,
    ]);
    expect(still[0]!.status).toBe('booked');

    const cancelled = await postForm(new URL(cancelUrl).pathname, {}).expect(200);
    expect(cancelled.text).toContain('Your appointment is cancelled');
    await postForm(new URL(cancelUrl).pathname, {}).expect(200);
    const events: { contact_id: string; data: Record<string, unknown> }[] = await env.container.db.query(
      `SELECT contact_id, data FROM outbox_events WHERE type = 'appointment.cancelled' AND data->>'appointmentId' = $1`,
      [id],
    );
    expect(events).toEqual([
      {
        contact_id: contact.id,
        data: expect.objectContaining({ calendarId: calendar.id, calendarSlug: 'coffee-chat', start: starts[4] }),
      },
    ]);
    // The slot is free again, and the reschedule link is over.
    expect((await api.slots(calendar.id)).map((slot) => slot.start)).toContain(starts[4]);
    expect((await get(new URL(rescheduleUrl).pathname)).status).toBe(410);
    expect((await request(http.server).post(new URL(rescheduleUrl).pathname).send({ start: starts[5] })).status).toBe(
      410,
    );
  });

  it('books from the scheduling page by slug and by id, creating or finding the contact', async () => {
    const bySlug = await get('/c/coffee-chat').expect(200);
    expect(bySlug.headers['content-security-policy']).toMatch(/frame-ancestors \*/);
    expect(bySlug.headers['x-frame-options']).toBeUndefined();
    expect(bySlug.text).toContain('<input type="text" id="name" name="name"');
    expect(bySlug.text).toContain('<input type="email" id="email" name="email"');
    const starts = radios(bySlug.text);

    const first = await postForm('/c/coffee-chat', {
      name: 'Walk In',
      email: 'walkin@example.com',
      start: starts[6]!,
    }).expect(201);
    expect(first.text).toContain('You’re booked');
    const second = await request(http.server)
      .post(`/c/${calendar.id}`)
      .send({ name: 'Walk In Again', email: 'WALKIN@example.com', start: starts[7] })
      .expect(201);
    expect(second.body.appointment.cancelUrl).toMatch(/\/book\/cancel\//);
    const contacts: { id: string; first_name: string; last_name: string }[] = await env.container.db.query(
      `SELECT id, first_name, last_name FROM contacts WHERE account_id = $1 AND lower(email) = 'walkin@example.com'`,
      [accountId],
    );
    expect(contacts).toEqual([{ id: expect.any(String), first_name: 'Walk', last_name: 'In' }]);
    const appointments: unknown[] = await env.container.db.query(
      'SELECT 1 FROM appointments WHERE contact_id = $1 AND link_id IS NULL',
      [contacts[0]!.id],
    );
    expect(appointments).toHaveLength(2);

    const invalid = await postForm('/c/coffee-chat', { name: '', email: 'nope', start: starts[8]! }).expect(400);
    expect(invalid.text).toContain('role="alert"');
    expect(invalid.text).toContain('value="nope"');
    const taken = await request(http.server)
      .post('/c/coffee-chat')
      .send({ name: 'Late', email: 'late@example.com', start: starts[6] });
    expect(taken.status).toBe(409);
    expect(taken.body.error.code).toBe('slot_unavailable');
    const json = await get(`/c/${calendar.id}`).set('Accept', 'application/json').expect(200);
    expect(json.body.calendar).toMatchObject({
      name: 'Coffee chat',
      timezone: 'America/New_York',
      durationMinutes: 30,
    });
    expect(json.body.slots.map((slot: { start: string }) => slot.start)).not.toContain(starts[6]);
    expect((await get('/c/no-such-calendar').expect(404)).headers['content-security-policy']).toMatch(CSP);
  });
});

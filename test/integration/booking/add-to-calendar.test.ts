import ICAL from 'ical.js';
import request from 'supertest';
import { createTestAccount, createTestEnv, type TestEnv } from '../../helpers/test-env';
import { addContact } from '../../helpers/engine';
import { bookingApi, bookPath, listen, type BookingApi } from './booking-helpers';

/** The one VEVENT of an .ics answer, read by a real parser. */
function eventOf(text: string): InstanceType<typeof ICAL.Event> {
  const events = new ICAL.Component(ICAL.parse(text)).getAllSubcomponents('vevent');
  expect(events).toHaveLength(1);
  return new ICAL.Event(events[0]!);
}

describe('adding a booked appointment to a calendar', () => {
  let env: TestEnv;
  let http: Awaited<ReturnType<typeof listen>>;
  let api: BookingApi;
  let accountId: string;
  let calendarId: string;
  let starts: string[];

  beforeAll(async () => {
    env = await createTestEnv({ PUBLIC_URL: 'https://book.example.test' });
    const account = await createTestAccount(env.container);
    accountId = account.accountId;
    http = await listen(env.container);
    api = bookingApi(http.server, account.apiKey);
    calendarId = (await api.createCalendar({ slug: 'ics-call', name: 'Strategy call', ownerName: 'Olive Owner' })).id;
    starts = (await api.slots(calendarId)).map((slot) => slot.start);
  });
  afterAll(async () => {
    await http.close();
    await env.cleanup();
  });

  const get = (url: string) => request(http.server).get(new URL(url, 'http://x').pathname);

  it('answers a booking with the .ics and Google Calendar links, and keeps the file once the link is spent', async () => {
    const contact = await addContact(env.container, accountId, { email: 'ics@example.com' });
    const link = await api.mintLink(calendarId, { contactId: contact.id });
    const booked = await request(http.server).post(bookPath(link.url)).send({ start: starts[0] }).expect(201);
    const { appointment, icsUrl, googleCalendarUrl } = booked.body;
    expect(icsUrl).toBe(`${appointment.rescheduleUrl}/calendar.ics`);
    const google = new URL(googleCalendarUrl);
    expect(google.origin + google.pathname).toBe('https://calendar.google.com/calendar/render');
    expect(google.searchParams.get('text')).toBe('Strategy call with Olive Owner');
    expect(google.searchParams.get('dates')).toMatch(/^\d{8}T\d{6}Z\/\d{8}T\d{6}Z$/);
    await get(link.url).expect(410);

    const file = await get(icsUrl).expect(200);
    expect(file.headers['content-type']).toBe('text/calendar; charset=utf-8');
    expect(file.headers['content-disposition']).toBe('attachment; filename="ics-call.ics"');
    expect(file.headers['cache-control']).toBe('no-store');
    const event = eventOf(file.text);
    expect(event.startDate.toJSDate().toISOString()).toBe(appointment.start);
    expect(event.endDate.toJSDate().toISOString()).toBe(appointment.end);
    expect(event.summary).toBe('Strategy call with Olive Owner');
    expect(event.description).toContain(appointment.cancelUrl);
    expect(event.uid).toBe(`appointment-${appointment.id}@linkflow`);
  });

  it('shows the appointment as it is now: moved, then cancelled, under the same UID', async () => {
    const booked = await request(http.server)
      .post('/c/ics-call')
      .send({ name: 'Mo Ver', email: 'mover@example.com', start: starts[2] })
      .expect(201);
    const { appointment, icsUrl } = booked.body;
    const first = eventOf((await get(icsUrl).expect(200)).text);
    const moved = await request(http.server)
      .post(new URL(appointment.rescheduleUrl).pathname)
      .send({ start: starts[4] })
      .expect(200);
    expect(moved.body.icsUrl).toBe(icsUrl);
    const after = eventOf((await get(icsUrl).expect(200)).text);
    expect(after.startDate.toJSDate().toISOString()).toBe(starts[4]);
    expect(after.uid).toBe(first.uid);
    expect(after.sequence).toBeGreaterThanOrEqual(first.sequence);

    await request(http.server).post(new URL(appointment.cancelUrl).pathname).send({}).expect(200);
    const cancelled = eventOf((await get(icsUrl).expect(200)).text);
    expect(cancelled.component.getFirstPropertyValue('status')).toBe('CANCELLED');
    expect(cancelled.uid).toBe(first.uid);
  });

  it('offers both on the confirmation page without JavaScript', async () => {
    const page = await request(http.server)
      .post('/c/ics-call')
      .type('form')
      .set('Accept', 'text/html')
      .send({ name: 'Form Filler', email: 'form@example.com', start: starts[6] })
      .expect(201);
    expect(page.text).toContain('Add to calendar');
    expect(page.text).toMatch(
      /<a class="button secondary" href="https:\/\/book\.example\.test\/book\/reschedule\/[A-Za-z0-9_-]{43}\/calendar\.ics" download>/,
    );
    const google = /href="(https:\/\/calendar\.google\.com\/[^"]+)"/.exec(page.text)?.[1] ?? '';
    const decoded = new URL(google.replace(/&#x3D;/g, '=').replace(/&amp;/g, '&'));
    expect(decoded.searchParams.get('action')).toBe('TEMPLATE');
    expect(decoded.searchParams.get('text')).toBe('Strategy call with Olive Owner');
  });

  it('answers an unknown appointment with the expired page', async () => {
    const unknown = await get('/book/reschedule/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/calendar.ics').expect(404);
    expect(unknown.text).toContain('This link has expired');
  });
});

describe('the scripts of the public pages', () => {
  let env: TestEnv;
  let http: Awaited<ReturnType<typeof listen>>;
  let app: ReturnType<typeof request.agent>;

  beforeAll(async () => {
    env = await createTestEnv();
    const account = await createTestAccount(env.container);
    http = await listen(env.container);
    app = request.agent(http.server);
    await bookingApi(http.server, account.apiKey).createCalendar({ slug: 'scripted' });
  });
  afterAll(async () => {
    await http.close();
    await env.cleanup();
  });

  it('lets the booking pages run our own scripts and talk to our own origin, and nothing more', async () => {
    const page = await app.get('/c/scripted').expect(200);
    const csp = page.headers['content-security-policy'] as string;
    expect(csp.split('; ')).toEqual(expect.arrayContaining(["script-src 'self'", "connect-src 'self'"]));
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|\*\s*;|https?:/);
    expect(page.text).toMatch(
      /<div id="booking-widget" data-endpoint="\/c\/scripted" data-zone="UTC" data-until="[^"]+Z"/,
    );
    // Other public pages keep a policy without scripts.
    const unsubscribe = await app.get('/u/not-a-token');
    expect(unsubscribe.headers['content-security-policy']).not.toContain('script-src');
  });

  it('serves the widget and /embed.js as cacheable JavaScript, /embed.js to any site', async () => {
    const widget = await app.get('/assets/client/booking.js').expect(200);
    expect(widget.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(widget.headers['cache-control']).toBe('public, max-age=600');
    expect(widget.headers['x-content-type-options']).toBe('nosniff');
    const embed = await app.get('/embed.js').expect(200);
    expect(embed.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(embed.headers['cache-control']).toBe('public, max-age=600');
    expect(embed.headers['access-control-allow-origin']).toBe('*');
    expect(embed.headers['cross-origin-resource-policy']).toBe('cross-origin');
    expect(embed.text).toContain('data-linkflow-popup');
  });
});

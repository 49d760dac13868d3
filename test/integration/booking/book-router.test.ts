import request from 'supertest';
import { createTestAccount, createTestEnv, type TestEnv } from '../../helpers/test-env';
import { addContact } from '../../helpers/engine';
import { ALL_DAY, bookingApi, bookPath, listen } from './booking-helpers';

const PAGE_HEADERS = [
  'content-security-policy',
  'x-content-type-options',
  'referrer-policy',
  'cross-origin-opener-policy',
  'permissions-policy',
  'x-frame-options',
  'cache-control',
];

/** How many times each header name appears in the raw answer. */
const headerCounts = (response: request.Response): Record<string, number> => {
  const counts: Record<string, number> = {};
  const raw = (response as unknown as { res: { rawHeaders: string[] } }).res.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) counts[raw[i]!.toLowerCase()] = (counts[raw[i]!.toLowerCase()] ?? 0) + 1;
  return counts;
};

describe('everything under /book in one router', () => {
  let env: TestEnv;
  let http: Awaited<ReturnType<typeof listen>>;
  let linkPath: string;
  let reschedulePath: string;
  let cancelPath: string;

  beforeAll(async () => {
    env = await createTestEnv();
    const account = await createTestAccount(env.container);
    http = await listen(env.container);
    const api = bookingApi(http.server, account.apiKey);
    const calendar = await api.createCalendar({ slug: 'one-router', name: 'One router', availability: ALL_DAY });
    const contact = await addContact(env.container, account.accountId, { email: 'one@example.com' });
    linkPath = bookPath((await api.mintLink(calendar.id, { contactId: contact.id })).url);
    const [slot] = await api.slots(calendar.id);
    const booked = await request(http.server).post(linkPath).send({ start: slot!.start }).expect(201);
    const appointment = booked.body.appointment as { rescheduleUrl: string; cancelUrl: string };
    reschedulePath = new URL(appointment.rescheduleUrl).pathname;
    cancelPath = new URL(appointment.cancelUrl).pathname;
  });
  afterAll(async () => {
    await http.close();
    await env.cleanup();
  });

  const get = (path: string, accept = 'text/html') => request(http.server).get(path).set('Accept', accept);

  it("answers each page with the pages' headers exactly once", async () => {
    for (const response of [
      await get(linkPath).expect(410),
      await get(reschedulePath).expect(200),
      await get(cancelPath, 'application/json').expect(200),
      await get('/book/nothing/here').expect(404),
    ]) {
      const counts = headerCounts(response);
      for (const name of PAGE_HEADERS) expect([name, counts[name]]).toEqual([name, 1]);
    }
  });

  it('still reaches the reschedule, calendar file and cancel pages of an appointment', async () => {
    expect((await get(reschedulePath).expect(200)).text).toContain('Move my appointment');
    expect((await get(`${reschedulePath}/calendar.ics`).expect(200)).text).toContain('BEGIN:VCALENDAR');
    expect((await get(cancelPath, 'application/json').expect(200)).body.appointment.status).toBe('booked');
    await get(`/book/reschedule/${'B'.repeat(43)}`, 'application/json')
      .expect(404)
      .expect((response) => expect(response.body.error.code).toBe('not_found'));
  });

  it('answers an unknown path under /book with the 404 page, HTML or JSON', async () => {
    for (const path of ['/book', '/book/', '/book/a/b/c', '/book/reschedule', '/book/%00', '/book/cancel/%00']) {
      const page = await get(path).expect(404);
      expect(page.headers['content-type']).toMatch(/text\/html/);
    }
    const json = await get('/book/a/b/c', 'application/json').expect(404);
    expect(json.body).toEqual({ error: { code: 'not_found', message: 'Page not found' } });
    await request(http.server).put(linkPath).expect(404);
  });

  it('answers OPTIONS as the two routers did: the methods of an appointment path, the 404 page for a link', async () => {
    await request(http.server).options(reschedulePath).expect(200).expect('Allow', 'GET, HEAD, POST');
    await request(http.server).options(`${reschedulePath}/calendar.ics`).expect(200).expect('Allow', 'GET, HEAD');
    await request(http.server).options(linkPath).expect(404);
  });

  it('refuses a malformed JSON body once, as a 400 with its code', async () => {
    const response = await request(http.server)
      .post(linkPath)
      .set('Content-Type', 'application/json')
      .send('{bad')
      .expect(400);
    expect(response.body.error.code).toBe('validation_failed');
  });

  it('still serves health, metrics and assets, now mounted after /book and /c', async () => {
    await request(http.server).get('/healthz').expect(200, { status: 'ok' });
    await request(http.server).get('/metrics').expect(200);
    await request(http.server)
      .get('/assets/linkflow.css')
      .expect(200)
      .expect('Content-Type', /text\/css/);
    await request(http.server).get('/nope').expect(404);
  });
});

import path from 'node:path';
import ICAL from 'ical.js';
import request from 'supertest';
import { notifyAppointment } from '../../../src/booking/appointment-notifications';
import type { NotifierDeps } from '../../../src/booking/notification-sender';
import { createMessaging, type Messaging } from '../../../src/messaging/messaging';
import { loadTemplates } from '../../../src/messaging/template-store';
import { createApp } from '../../../src/roles/http-app';
import { addContact } from '../../helpers/engine';
import { startSmtpSink, type ReceivedEmail, type SmtpSink } from '../../helpers/smtp-sink';
import { createTestAccount, createTestEnv, type TestEnv } from '../../helpers/test-env';
import { bookingApi, bookPath, type BookingApi } from './booking-helpers';

jest.setTimeout(60_000);

const ROOT = path.resolve(__dirname, '../../..');

interface ContactLite {
  phone: string | null;
  timezone: string | null;
}

/**
 * What a visitor who books without a known contact leaves behind: the phone a calendar may ask for,
 * the zone they booked in (so their emails read in their time), and in the confirmation email
 * "Add to calendar".
 */
describe("the visitor's details a booking keeps", () => {
  let env: TestEnv;
  let sink: SmtpSink;
  let messaging: Messaging;
  let deps: NotifierDeps;
  let app: ReturnType<typeof createApp>;
  let api: BookingApi;
  let apiKey: string;
  let accountId: string;
  let slotIndex = 0;

  beforeAll(async () => {
    sink = await startSmtpSink();
    env = await createTestEnv({ SMTP_URL: sink.url, PUBLIC_URL: 'https://book.example.test', PUBLIC_RATE_LIMIT: '0' });
    await loadTemplates(path.join(ROOT, 'templates'));
    ({ accountId, apiKey } = await createTestAccount(env.container, { name: 'Acme Coaching' }));
    messaging = createMessaging(env.container);
    deps = { db: env.container.db, config: env.config, messaging, logger: env.container.logger };
    app = createApp(env.container);
    api = bookingApi(app, apiKey);
  });
  afterAll(async () => {
    await messaging.close();
    await sink.close();
    await env.cleanup();
  });

  const auth = () => ({ Authorization: `Bearer ${apiKey}` });

  /** A free slot of the calendar not used by this file yet (every booking takes another one). */
  const nextSlot = async (calendarId: string): Promise<string> => (await api.slots(calendarId))[slotIndex++ * 2]!.start;

  const bookJson = (pagePath: string, body: Record<string, unknown>) =>
    request(app).post(pagePath).set('Accept', 'application/json').send(body);

  const contactByEmail = async (email: string): Promise<ContactLite | undefined> =>
    (
      await env.container.db.query<ContactLite[]>(
        'SELECT phone, timezone FROM contacts WHERE account_id = $1 AND email = $2',
        [accountId, email],
      )
    )[0];

  const appointmentCount = async (calendarId: string): Promise<number> =>
    Number(
      (
        await env.container.db.query<{ n: string }[]>('SELECT count(*) AS n FROM appointments WHERE calendar_id = $1', [
          calendarId,
        ])
      )[0]!.n,
    );

  /** Sends the emails of the appointment's latest event of this type, as the worker does, and returns the contact's. */
  async function emailToContact(type: string, appointmentId: string, to: string): Promise<ReceivedEmail> {
    const [event] = await env.container.db.query<{ id: string }[]>(
      `SELECT id FROM outbox_events WHERE type = $1 AND data->>'appointmentId' = $2 ORDER BY id DESC LIMIT 1`,
      [type, appointmentId],
    );
    await notifyAppointment(deps, { eventId: event!.id, isLastAttempt: false });
    const mails = sink.accepted.filter((mail) => mail.to.includes(to) && mail.messageId?.includes(appointmentId));
    return mails[mails.length - 1]!;
  }

  const hrefs = (mail: ReceivedEmail): string[] =>
    [...String(mail.parsed!.html).matchAll(/href="([^"]*)"/g)].map((match) =>
      // As a mail client reads the attribute: Handlebars escapes = as &#x3D;.
      match[1]!.replace(/&#x3D;/g, '=').replace(/&amp;/g, '&'),
    );

  describe('the askPhone setting of a calendar', () => {
    it('is off unless asked for, and the API creates, reads and changes it', async () => {
      const plain = await api.createCalendar({ slug: 'no-phone' });
      expect(plain.askPhone).toBe(false);
      const asking = await api.createCalendar({ slug: 'phone-first', askPhone: true });
      expect(asking.askPhone).toBe(true);
      const read = await request(app).get(`/api/v1/calendars/${asking.id}`).set(auth()).expect(200);
      expect(read.body.askPhone).toBe(true);

      const patched = await request(app)
        .patch(`/api/v1/calendars/${plain.id}`)
        .set(auth())
        .send({ askPhone: true })
        .expect(200);
      expect(patched.body).toMatchObject({ askPhone: true, slug: 'no-phone' });
      const refused = await request(app)
        .patch(`/api/v1/calendars/${plain.id}`)
        .set(auth())
        .send({ askPhone: 'yes' })
        .expect(400);
      expect(refused.body.error.issues).toEqual([expect.objectContaining({ path: 'askPhone' })]);
      await request(app).patch(`/api/v1/calendars/${plain.id}`).set(auth()).send({ askPhone: false }).expect(200);
    });
  });

  describe('a calendar that asks for a phone', () => {
    let calendarId: string;
    beforeAll(async () => {
      calendarId = (await api.createCalendar({ slug: 'call-me', askPhone: true })).id;
    });

    it('refuses a booking without a phone, or with something that is no phone number, with the path phone', async () => {
      const start = await nextSlot(calendarId);
      for (const phone of [undefined, '', '   ', 'call me maybe', '+0 123', '12345']) {
        const refused = await bookJson('/c/call-me', { start, name: 'Pat Phone', email: 'pat@example.com', phone });
        expect({ phone, status: refused.status }).toEqual({ phone, status: 400 });
        expect(refused.body.error.issues).toEqual([expect.objectContaining({ path: 'phone' })]);
      }
      // A one-time link without a contact asks the same, and is not spent by the refusal.
      const link = await api.mintLink(calendarId);
      const refused = await bookJson(bookPath(link.url), { start, name: 'Pat Phone', email: 'pat@example.com' });
      expect(refused.status).toBe(400);
      expect(refused.body.error.issues).toEqual([expect.objectContaining({ path: 'phone' })]);
      expect((await api.link(link.id)).uses).toBe(0);
      expect(await appointmentCount(calendarId)).toBe(0);
      expect(await contactByEmail('pat@example.com')).toBeUndefined();
    });

    it('stores the phone, typed with spaces and brackets, in E.164 on the contact the booking creates', async () => {
      await bookJson('/c/call-me', {
        start: await nextSlot(calendarId),
        name: 'Pat Phone',
        email: 'pat@example.com',
        phone: '+1 (415) 555-0123',
      }).expect(201);
      expect((await contactByEmail('pat@example.com'))?.phone).toBe('+14155550123');

      const link = await api.mintLink(calendarId);
      await bookJson(bookPath(link.url), {
        start: await nextSlot(calendarId),
        name: 'Lin Link',
        email: 'lin@example.com',
        phone: '0044 20 7946 0958',
      }).expect(201);
      expect((await contactByEmail('lin@example.com'))?.phone).toBe('+442079460958');
    });

    it("fills in a known contact's phone only when it has none, and asks nothing on a link for a contact", async () => {
      await addContact(env.container, accountId, { email: 'kept@example.com', phone: '+447700900001' });
      await addContact(env.container, accountId, { email: 'empty@example.com', firstName: 'Em' });
      for (const email of ['kept@example.com', 'empty@example.com'])
        await bookJson('/c/call-me', {
          start: await nextSlot(calendarId),
          name: 'Someone Else',
          email,
          phone: '+14155550199',
        }).expect(201);
      expect((await contactByEmail('kept@example.com'))?.phone).toBe('+447700900001');
      expect((await contactByEmail('empty@example.com'))?.phone).toBe('+14155550199');

      const known = await addContact(env.container, accountId, { email: 'known@example.com' });
      const link = await api.mintLink(calendarId, { contactId: known.id });
      await bookJson(bookPath(link.url), { start: await nextSlot(calendarId) }).expect(201);
      expect((await contactByEmail('known@example.com'))?.phone).toBeNull();
    });

    it('asks "Your phone" on the page without JavaScript, and says what is missing', async () => {
      const page = await request(app).get('/c/call-me').set('Accept', 'text/html').expect(200);
      expect(page.text).toContain('data-ask-phone');
      expect(page.text).toMatch(/<label for="phone">Your phone<\/label>\s*<input type="tel" id="phone" name="phone"/);
      const other = await request(app).get('/c/no-phone').set('Accept', 'text/html').expect(200);
      expect(other.text).not.toContain('data-ask-phone');
      expect(other.text).not.toContain('Your phone');

      const refused = await request(app)
        .post('/c/call-me')
        .type('form')
        .send({ start: await nextSlot(calendarId), name: 'Fay Form', email: 'fay@example.com', phone: '' })
        .expect(400);
      expect(refused.text).toContain('phone: please tell us your phone number');
      expect(refused.text).toContain('value="fay@example.com"');

      const known = await addContact(env.container, accountId, { email: 'shown@example.com' });
      const link = await api.mintLink(calendarId, { contactId: known.id });
      const linkPage = await request(app).get(bookPath(link.url)).set('Accept', 'text/html').expect(200);
      expect(linkPage.text).not.toContain('Your phone');
    });
  });

  describe('the zone the visitor booked in', () => {
    let calendarId: string;
    beforeAll(async () => {
      calendarId = (await api.createCalendar({ name: 'Tea in Lisbon', slug: 'lisbon-tea', timezone: 'Europe/Lisbon' }))
        .id;
    });

    it("becomes a new contact's zone, and the confirmation email reads in it, with Add to calendar", async () => {
      const start = await nextSlot(calendarId);
      const booked = await bookJson('/c/lisbon-tea', {
        start,
        name: 'Tomo Tanaka',
        email: 'tomo@example.com',
        tz: 'asia/TOKYO',
      }).expect(201);
      expect(await contactByEmail('tomo@example.com')).toEqual({ phone: null, timezone: 'Asia/Tokyo' });

      const { appointment } = booked.body as { appointment: { id: string; start: string; rescheduleUrl: string } };
      const mail = await emailToContact('appointment.booked', appointment.id, 'tomo@example.com');
      const at = new Date(start);
      expect(mail.parsed!.subject).toBe(
        `Confirmed: Tea in Lisbon on ${dateIn(at, 'Asia/Tokyo')} at ${timeIn(at, 'Asia/Tokyo')}`,
      );
      expect(String(mail.parsed!.html)).toContain('(Asia/Tokyo)');
      expect(timeIn(at, 'Asia/Tokyo')).not.toBe(timeIn(at, 'Europe/Lisbon'));

      // Add to calendar: the .ics of the appointment's reschedule link, and Google Calendar's page.
      const links = hrefs(mail);
      const ics = links.find((href) => href.endsWith('/calendar.ics'));
      expect(ics).toBe(`${appointment.rescheduleUrl}/calendar.ics`);
      const file = await request(app).get(new URL(ics!).pathname).expect(200);
      expect(file.headers['content-type']).toMatch(/^text\/calendar/);
      const event = new ICAL.Event(new ICAL.Component(ICAL.parse(file.text)).getFirstSubcomponent('vevent')!);
      expect(event.startDate.toJSDate().toISOString()).toBe(start);
      const google = new URL(links.find((href) => href.startsWith('https://calendar.google.com/'))!);
      // `dates` is start/end in UTC's basic form: 20270105T090000Z/…
      expect(google.searchParams.get('dates')!.split('/')[0]).toBe(start.replace(/[-:]/g, '').replace(/\.\d{3}/, ''));
      expect(String(mail.parsed!.html)).toContain('Add to calendar');
    });

    it("never replaces a known contact's zone, and the new-time email carries Add to calendar too", async () => {
      await addContact(env.container, accountId, { email: 'paris@example.com', timezone: 'Europe/Paris' });
      const booked = await bookJson('/c/lisbon-tea', {
        start: await nextSlot(calendarId),
        name: 'Pia Paris',
        email: 'paris@example.com',
        tz: 'Asia/Tokyo',
      }).expect(201);
      expect((await contactByEmail('paris@example.com'))?.timezone).toBe('Europe/Paris');

      const { appointment } = booked.body as { appointment: { id: string; rescheduleUrl: string } };
      const moved = await nextSlot(calendarId);
      await bookJson(new URL(appointment.rescheduleUrl).pathname, { start: moved }).expect(200);
      const mail = await emailToContact('appointment.rescheduled', appointment.id, 'paris@example.com');
      expect(mail.parsed!.subject).toMatch(/^New time: /);
      expect(String(mail.parsed!.html)).toContain('(Europe/Paris)');
      expect(hrefs(mail)).toContain(`${appointment.rescheduleUrl}/calendar.ics`);
      expect(hrefs(mail).some((href) => href.startsWith('https://calendar.google.com/calendar/render?'))).toBe(true);
    });
  });
});

const dateIn = (date: Date, zone: string): string =>
  new Intl.DateTimeFormat('en-GB', {
    timeZone: zone,
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
  }).format(date);

const timeIn = (date: Date, zone: string): string =>
  new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(
    date,
  );

import request from 'supertest';
import { startLinkflowProcess, type LinkflowProcess } from '../helpers/linkflow-process';
import { freePort } from '../helpers/free-port';
import { startSmtpSink, type ReceivedEmail, type SmtpSink } from '../helpers/smtp-sink';
import { createTestAccount, createTestEnv, waitFor, type TestEnv } from '../helpers/test-env';
import { ALL_DAY } from '../integration/booking/booking-helpers';

jest.setTimeout(120_000);

const OWNER = 'olive@example.com';
const VISITOR = 'lena@example.com';

/**
 * The emails after booking, with the app started as it ships (`--role all`, the repository's
 * templates) and a real SMTP server: a visitor books on the public scheduling page over HTTP, the
 * confirmation and the owner's notice arrive, and the confirmation's own links reschedule and cancel.
 */
describe('the emails after booking, end to end', () => {
  let env: TestEnv;
  let sink: SmtpSink;
  let app: LinkflowProcess;
  let baseUrl: string;
  let apiKey: string;

  beforeAll(async () => {
    sink = await startSmtpSink();
    env = await createTestEnv();
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    app = await startLinkflowProcess({
      role: 'all',
      env: { ...env.env, SMTP_URL: sink.url, PUBLIC_URL: baseUrl, PORT: String(port), PUBLIC_RATE_LIMIT: '0' },
    });
    ({ apiKey } = await createTestAccount(env.container, { name: 'Acme Coaching' }));
  });
  afterAll(async () => {
    await app?.stop();
    await sink.close();
    await env.cleanup();
  });

  const arrived = (to: string, subject: RegExp): Promise<ReceivedEmail> =>
    waitFor(() => sink.accepted.find((mail) => mail.to.includes(to) && subject.test(mail.parsed?.subject ?? '')), {
      timeoutMs: 20_000,
      what: `an email to ${to} with subject ${subject}`,
    });

  /** The href of the first link in an email's HTML whose URL contains `part`, as the mail client opens it. */
  const linkIn = (mail: ReceivedEmail, part: string): string => {
    const href = new RegExp(`href="([^"]*${part}[^"]*)"`).exec(String(mail.parsed?.html ?? ''))?.[1];
    if (!href) throw new Error(`no link with ${part} in the email`);
    return href.replace(/&amp;/g, '&');
  };
  const pathOf = (url: string): string => new URL(url).pathname;

  it('confirms a booking to the visitor and tells the owner, and the links in the confirmation work', async () => {
    await request(baseUrl)
      .post('/api/v1/calendars')
      .set('Authorization', `Bearer ${apiKey}`)
      .send({
        name: 'Discovery call',
        slug: 'discovery-emails',
        timezone: 'UTC',
        availability: ALL_DAY,
        ownerName: 'Olive Owner',
        ownerEmail: OWNER,
      })
      .expect(201);
    const page = await request(baseUrl).get('/c/discovery-emails').set('Accept', 'application/json').expect(200);
    const slots = page.body.slots as { start: string }[];
    expect(slots.length).toBeGreaterThan(2);

    // The page's form without JavaScript: urlencoded, as a browser posts it.
    await request(baseUrl)
      .post('/c/discovery-emails')
      .type('form')
      .send({ name: 'Lena Lake', email: VISITOR, start: slots[1]!.start })
      .expect(201);

    const confirmation = await arrived(VISITOR, /^Confirmed: Discovery call on /);
    const notice = await arrived(OWNER, /^New booking: Lena Lake, /);
    expect(String(notice.parsed!.html)).toContain(VISITOR);
    expect(confirmation.parsed!.text).toContain('Olive Owner');

    const reschedule = linkIn(confirmation, '/book/reschedule/');
    const cancel = linkIn(confirmation, '/book/cancel/');
    expect(reschedule.startsWith(`${baseUrl}/book/reschedule/`)).toBe(true);
    expect(cancel.startsWith(`${baseUrl}/book/cancel/`)).toBe(true);

    // The reschedule link opens the picker; moving the appointment sends the new time to both.
    await request(baseUrl).get(pathOf(reschedule)).expect(200);
    await request(baseUrl).post(pathOf(reschedule)).type('form').send({ start: slots[2]!.start }).expect(200);
    const moved = await arrived(VISITOR, /^New time: Discovery call on /);
    await arrived(OWNER, /^Moved: Lena Lake, now /);
    // The moved appointment keeps its links: the new email carries the same cancel link.
    expect(linkIn(moved, '/book/cancel/')).toBe(cancel);

    // The cancel link asks first; cancelling sends both their email, with a way to book again.
    await request(baseUrl).get(pathOf(cancel)).expect(200);
    await request(baseUrl).post(pathOf(cancel)).type('form').send({}).expect(200);
    const cancelled = await arrived(VISITOR, /^Cancelled: Discovery call on /);
    await arrived(OWNER, /^Cancelled: Lena Lake, /);
    await request(baseUrl)
      .get(pathOf(linkIn(cancelled, '/c/discovery-emails')))
      .expect(200);
    // The reschedule link of a cancelled appointment is spent.
    await request(baseUrl).get(pathOf(reschedule)).expect(410);

    // Six emails in all, one of each: nothing was sent twice.
    const about = sink.accepted.filter((mail) => /^<appointment-/.test(mail.messageId ?? ''));
    expect(about).toHaveLength(6);
    expect(new Set(about.map((mail) => mail.messageId)).size).toBe(6);
  });
});

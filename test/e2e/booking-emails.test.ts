import ICAL from 'ical.js';
import type { Browser } from 'playwright-core';
import request from 'supertest';
import { launchBrowser, recordPageProblems } from '../helpers/browser';
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
 * templates) and a real SMTP server: a visitor books on the public scheduling page (over HTTP, and
 * in a browser through the month grid), the confirmation and the owner's notice arrive, and the
 * confirmation's own links add to a calendar, reschedule and cancel.
 */
describe('the emails after booking, end to end', () => {
  let env: TestEnv;
  let sink: SmtpSink;
  let app: LinkflowProcess;
  let baseUrl: string;
  let apiKey: string;
  let browser: Browser | undefined;

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
    await browser?.close();
    await app?.stop();
    await sink.close();
    await env.cleanup();
  });

  const arrived = (to: string, subject: RegExp): Promise<ReceivedEmail> =>
    waitFor(() => sink.accepted.find((mail) => mail.to.includes(to) && subject.test(mail.parsed?.subject ?? '')), {
      timeoutMs: 20_000,
      what: `an email to ${to} with subject ${subject}`,
    });

  /** The first link in an email's HTML whose URL matches `pattern`, as the mail client opens it. */
  const linkIn = (mail: ReceivedEmail, pattern: RegExp): string => {
    const hrefs = [...String(mail.parsed?.html ?? '').matchAll(/href="([^"]*)"/g)].map((match) =>
      // Handlebars escapes = as &#x3D;; a mail client reads the attribute's value.
      match[1]!.replace(/&#x3D;/g, '=').replace(/&amp;/g, '&'),
    );
    const href = hrefs.find((candidate) => pattern.test(candidate));
    if (!href) throw new Error(`no link matching ${pattern} in the email`);
    return href;
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

    const reschedule = linkIn(confirmation, /\/book\/reschedule\/[\w-]+$/);
    const cancel = linkIn(confirmation, /\/book\/cancel\/[\w-]+$/);
    expect(reschedule.startsWith(`${baseUrl}/book/reschedule/`)).toBe(true);
    expect(cancel.startsWith(`${baseUrl}/book/cancel/`)).toBe(true);

    // The reschedule link opens the picker; moving the appointment sends the new time to both.
    await request(baseUrl).get(pathOf(reschedule)).expect(200);
    await request(baseUrl).post(pathOf(reschedule)).type('form').send({ start: slots[2]!.start }).expect(200);
    const moved = await arrived(VISITOR, /^New time: Discovery call on /);
    await arrived(OWNER, /^Moved: Lena Lake, now /);
    // The moved appointment keeps its links: the new email carries the same cancel link.
    expect(linkIn(moved, /\/book\/cancel\/[\w-]+$/)).toBe(cancel);

    // The cancel link asks first; cancelling sends both their email, with a way to book again.
    await request(baseUrl).get(pathOf(cancel)).expect(200);
    await request(baseUrl).post(pathOf(cancel)).type('form').send({}).expect(200);
    const cancelled = await arrived(VISITOR, /^Cancelled: Discovery call on /);
    await arrived(OWNER, /^Cancelled: Lena Lake, /);
    await request(baseUrl)
      .get(pathOf(linkIn(cancelled, /\/c\/discovery-emails$/)))
      .expect(200);
    // The reschedule link of a cancelled appointment is spent.
    await request(baseUrl).get(pathOf(reschedule)).expect(410);

    // Six emails in all, one of each: nothing was sent twice.
    const about = sink.accepted.filter((mail) => /^<appointment-/.test(mail.messageId ?? ''));
    expect(about).toHaveLength(6);
    expect(new Set(about.map((mail) => mail.messageId)).size).toBe(6);
  });

  it('confirms a booking made by clicking through the month grid, with Add to calendar in the email', async () => {
    await request(baseUrl)
      .post('/api/v1/calendars')
      .set('Authorization', `Bearer ${apiKey}`)
      .send({
        name: 'Strategy session',
        slug: 'strategy-browser',
        timezone: 'Europe/Lisbon',
        availability: ALL_DAY,
        ownerName: 'Olive Owner',
        ownerEmail: OWNER,
      })
      .expect(201);
    browser = await launchBrowser();
    const context = await browser.newContext({
      baseURL: baseUrl,
      locale: 'en-US',
      timezoneId: 'Asia/Tokyo',
      viewport: { width: 390, height: 844 },
      hasTouch: true,
    });
    const page = await context.newPage();
    const problems: string[] = [];
    recordPageProblems(page, problems);
    await page.goto('/c/strategy-browser');
    const grid = page.getByRole('grid');
    await grid.locator('tbody[aria-busy=false]').waitFor();
    await grid.getByRole('button', { disabled: false, pressed: false }).first().click();
    const time = page.getByRole('list', { name: /day/ }).getByRole('button').nth(1);
    const start = (await time.getAttribute('data-start'))!;
    await time.click();
    await page.getByLabel('Your name').fill('Tomo Tanaka');
    await page.getByLabel('Your email').fill('tomo@example.com');
    await page.getByRole('button', { name: 'Confirm' }).click();
    await page.getByRole('heading', { name: 'You’re booked' }).waitFor();
    await context.close();
    expect(problems).toEqual([]);

    // The visitor's confirmation, in the zone their browser booked in; the owner's notice in the calendar's.
    const confirmation = await arrived('tomo@example.com', /^Confirmed: Strategy session on /);
    expect(String(confirmation.parsed!.html)).toContain('(Asia/Tokyo)');
    const notice = await arrived(OWNER, /^New booking: Tomo Tanaka, /);
    expect(String(notice.parsed!.html)).toContain('tomo@example.com');

    // Add to calendar: the .ics holds the booked time, Google Calendar's link is prefilled with it.
    expect(String(confirmation.parsed!.html)).toContain('Add to calendar');
    const ics = linkIn(confirmation, /\/calendar\.ics$/);
    expect(ics.startsWith(`${baseUrl}/book/reschedule/`)).toBe(true);
    const file = await request(baseUrl).get(pathOf(ics)).expect(200);
    const event = new ICAL.Event(new ICAL.Component(ICAL.parse(file.text)).getFirstSubcomponent('vevent')!);
    expect(event.startDate.toJSDate().toISOString()).toBe(start);
    const google = new URL(linkIn(confirmation, /^https:\/\/calendar\.google\.com\//));
    expect(google.searchParams.get('text')).toBe('Strategy session with Olive Owner');
  });
});

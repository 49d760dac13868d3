import { copyFileSync, mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { createCalendar } from '../../src/booking/calendar-service';
import { loadTemplates } from '../../src/messaging/template-store';
import { createApp } from '../../src/roles/http-app';
import { startWorkers, type RunningWorkers } from '../../src/roles/worker';
import { ARTIFACTS_DIR, launchBrowser, recordPageProblems } from '../helpers/browser';
import { addContact, addWorkflow } from '../helpers/engine';
import { createTestAccount, createTestEnv, waitFor, type TestEnv } from '../helpers/test-env';
import { ALL_DAY } from '../integration/booking/booking-helpers';

jest.setTimeout(120_000);

/** `UPDATE_DOCS_SCREENSHOT=1 npx jest test/e2e/contact-timeline.test.ts` refreshes docs/screenshots/contact-timeline-*.png. */
const UPDATE_DOCS = process.env.UPDATE_DOCS_SCREENSHOT === '1';
const ROOT = path.resolve(__dirname, '../..');

/** The few fields of API answers this test reads. */
interface ApiAnswer {
  customFields?: Record<string, string>;
  items?: { start: string }[];
}

/** What the page's window offers (the tests compile without the DOM library). */
interface PageWindow {
  timelineMarker?: string;
  document: { documentElement: { scrollWidth: number } };
}

/**
 * The contact page follows a run as it moves, without a reload: the app and its workers run in this
 * process (no SMTP server, so the email is recorded and says why it was not sent), the browser opens
 * a contact, the API enrols them, and the run's entries appear; then a booking through the run's
 * one-time link ends the run's wait, and the booking, the link's use and the run's end appear too.
 */
describe('the contact timeline, updating while a run moves', () => {
  let server: Server;
  let baseUrl: string;
  let env: TestEnv;
  let workers: RunningWorkers;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let apiKey: string;
  let contactId: string;
  let calendarId: string;
  const problems: string[] = [];

  const api = async (method: string, route: string, body?: unknown): Promise<{ status: number; json: ApiAnswer }> => {
    const response = await fetch(`${baseUrl}${route}`, {
      method,
      headers: { Authorization: `Bearer ${apiKey}`, 'Content-Type': 'application/json', Accept: 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, json: (await response.json()) as ApiAnswer };
  };
  const timeline = (): Locator => page.getByRole('list', { name: 'Timeline' });
  const snap = async (name: string, options: { fullPage: boolean }): Promise<void> => {
    mkdirSync(ARTIFACTS_DIR, { recursive: true });
    const file = path.join(ARTIFACTS_DIR, `${name}.png`);
    await page.screenshot({ path: file, fullPage: options.fullPage });
    if (UPDATE_DOCS) {
      mkdirSync(path.resolve(ROOT, 'docs/screenshots'), { recursive: true });
      copyFileSync(file, path.resolve(ROOT, `docs/screenshots/${name}.png`));
    }
  };

  beforeAll(async () => {
    server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    env = await createTestEnv({ PUBLIC_URL: baseUrl, PUBLIC_RATE_LIMIT: '0' });
    await loadTemplates(path.resolve(ROOT, 'templates'));
    server.on('request', createApp(env.container));
    workers = startWorkers(env.container);
    let accountId: string;
    ({ accountId, apiKey } = await createTestAccount(env.container, { name: 'Acme' }));
    calendarId = (
      await env.container.db.transaction((tx) =>
        createCalendar(tx, accountId, {
          name: 'Discovery call',
          slug: 'discovery',
          timezone: 'UTC',
          availability: ALL_DAY,
          ownerName: 'Olive Owner',
          ownerEmail: 'olive@acme.test',
        }),
      )
    ).id;
    await addWorkflow(env.container, accountId, {
      id: 'book-a-call',
      name: 'Book a call',
      trigger: { type: 'manual' },
      steps: [
        {
          id: 'link',
          name: 'Booking link',
          type: 'generate_one_time_link',
          calendar: 'discovery',
          saveTo: 'bookingLink',
        },
        {
          id: 'invite',
          name: 'Invitation',
          type: 'send_email',
          subject: 'Book your discovery call',
          html: '<p>Hi {{contact.firstName}},</p><p><a href="{{steps.link.url}}">Pick a time</a></p>',
        },
        { id: 'text', name: 'Text reminder', type: 'send_sms', body: 'Pick a time: {{steps.link.url}}' },
        { id: 'pause', name: 'Wait for a booking', type: 'wait', duration: '3d', event: 'appointment.booked' },
        { id: 'booked', name: 'Mark as booked', type: 'add_tag', tag: 'booked' },
      ],
    });
    contactId = (
      await addContact(env.container, accountId, { email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace' })
    ).id;

    browser = await launchBrowser();
    context = await browser.newContext({ baseURL: baseUrl, viewport: { width: 1366, height: 900 } });
    page = await context.newPage();
    recordPageProblems(page, problems);
    await page.goto('/app/login');
    await page.getByLabel('API key').fill(apiKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => url.pathname !== '/app/login');
  });

  afterAll(async () => {
    await browser?.close();
    await workers?.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await env?.cleanup();
  });

  it("shows a run's steps and messages as they happen, with the reason a message went nowhere", async () => {
    await page.goto(`/app/contacts/${contactId}`);
    await timeline().getByText('Nothing has happened with this contact yet.').waitFor();
    expect(await timeline().getAttribute('aria-live')).toBe('polite');
    // Set on this very document: still there at the end, so the page was never reloaded.
    await page.evaluate(() => ((globalThis as unknown as PageWindow).timelineMarker = 'no reload'));

    const enrolled = await api('POST', '/api/v1/workflows/book-a-call/runs', { contactId });
    expect(enrolled.status).toBe(202);

    const region = timeline();
    await region.getByText('Run started').waitFor();
    await region.getByRole('link', { name: 'Book a call' }).first().waitFor();
    await region.getByText('Email: Book your discovery call').waitFor();
    await region.getByText(/^Not sent: no SMTP server is configured/).waitFor();
    await region.getByText('Not sent: the contact has no phone number.').waitFor();
    await region.getByRole('link', { name: 'Wait for a booking' }).first().waitFor();
    await region.getByText(/^Waits until .+, or until they book$/).waitFor();
    await region.getByText('One-time link created').waitFor();
    expect(await region.getByText('Nothing has happened with this contact yet.').count()).toBe(0);
  });

  it('adds the booking, the link used and the end of the run once the contact books', async () => {
    const link = await waitFor(
      async () => {
        const contact = await api('GET', `/api/v1/contacts/${contactId}`);
        return contact.json.customFields?.bookingLink;
      },
      { what: 'the booking link saved on the contact' },
    );
    const slots = await api('GET', `/api/v1/calendars/${calendarId}/slots`);
    const booked = await fetch(link, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ start: slots.json.items![0]!.start }),
    });
    expect(booked.status).toBe(201);

    const region = timeline();
    await region.getByText('Appointment booked').waitFor();
    await region.getByText('One-time link used').waitFor();
    await region.getByText('Went on by “Booked”').waitFor();
    await region.getByText('Run completed').waitFor();
    expect(await page.evaluate(() => (globalThis as unknown as PageWindow).timelineMarker)).toBe('no reload');

    // Newest first: the run's end above the booking that moved it on, above its start.
    const titles = await region.locator('.tl-what strong').allTextContents();
    expect(titles.indexOf('Run completed')).toBeLessThan(titles.indexOf('Appointment booked'));
    expect(titles.indexOf('Appointment booked')).toBeLessThan(titles.indexOf('Run started'));
    expect(titles[titles.length - 1]).toBe('Run started');
    expect(problems).toEqual([]);

    // Reloaded, the page reads the same (and its other cards catch up: the link, the tag); an
    // email's content is one click away, in its sandboxed frame.
    await page.reload();
    const invitation = timeline().locator('li', { hasText: 'Email: Book your discovery call' });
    await invitation.getByText('Preview').click();
    await invitation.frameLocator('iframe.email-preview').getByText('Hi Ada,').waitFor();
    expect(await timeline().locator('.tl-what strong').allTextContents()).toEqual(titles);
    await snap('contact-timeline-desktop', { fullPage: true });
  });

  it('fits a 390 px phone', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    await timeline().getByText('Run completed').waitFor();
    const width = await page.evaluate(() => (globalThis as unknown as PageWindow).document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(390);
    await page.getByRole('heading', { name: 'Timeline' }).evaluate((heading) => heading.scrollIntoView());
    await snap('contact-timeline-phone', { fullPage: false });
    expect(problems).toEqual([]);
  });
});

import { copyFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startWorkers, type RunningWorkers } from '../../src/roles/worker';
import { createApp } from '../../src/roles/http-app';
import { createCalendar } from '../../src/booking/calendar-service';
import { WEEKDAYS } from '../../src/booking/calendar-schema';
import { loadTemplates } from '../../src/messaging/template-store';
import { launchBrowser, screenshot } from '../helpers/browser';
import { addContact, addWorkflow, runsOf } from '../helpers/engine';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink';
import { createTestAccount, createTestEnv, waitFor, type TestEnv } from '../helpers/test-env';

/** What the page's `navigator.clipboard` offers (the tests compile without the DOM library). */
interface ClipboardWindow {
  navigator: { clipboard: { readText(): Promise<string>; writeText(text: string): Promise<void> } };
}

/** `UPDATE_DOCS_SCREENSHOT=1 npx jest test/e2e/console.test.ts` refreshes the README's picture. */
const UPDATE_DOCS = process.env.UPDATE_DOCS_SCREENSHOT === '1';

describe('the web console in a browser', () => {
  let server: Server;
  let baseUrl: string;
  let env: TestEnv;
  let sink: SmtpSink;
  let workers: RunningWorkers;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let accountId: string;
  let apiKey: string;
  let calendarId: string;
  let contactId: string;

  beforeAll(async () => {
    // Listen first: PUBLIC_URL (links, the booking page) must be the address the browser uses.
    server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    sink = await startSmtpSink();
    env = await createTestEnv({
      PUBLIC_URL: baseUrl,
      SMTP_URL: sink.url,
      MAIL_FROM: 'Acme <hello@acme.test>',
      PUBLIC_RATE_LIMIT: '0',
    });
    await loadTemplates(path.resolve(__dirname, '../../templates'));
    server.on('request', createApp(env.container));
    workers = startWorkers(env.container);
    ({ accountId, apiKey } = await createTestAccount(env.container, { name: 'Acme', scope: 'admin' }));

    calendarId = (
      await env.container.db.transaction((tx) =>
        createCalendar(tx, accountId, {
          name: 'Discovery call',
          slug: 'discovery',
          timezone: 'Europe/Paris',
          availability: WEEKDAYS.map((day) => ({ day, start: '00:00', end: '24:00' })),
          ownerName: 'Olive Owner',
          ownerEmail: 'olive@acme.test',
        }),
      )
    ).id;
    await addWorkflow(env.container, accountId, {
      id: 'book-a-call',
      name: 'Book a call',
      trigger: { type: 'contact.tag_added', tag: 'lead' },
      steps: [
        { id: 'link', type: 'generate_one_time_link', calendar: 'discovery', saveTo: 'bookingLink' },
        {
          id: 'invite',
          type: 'send_email',
          subject: 'Book your discovery call',
          html: '<p>Hi {{contact.firstName}},</p><p><a href="{{steps.link.url}}">Pick a time</a></p>',
        },
        {
          id: 'wait',
          type: 'wait',
          duration: '3d',
          event: 'appointment.booked',
          onEvent: 'booked',
          onTimeout: 'nudge',
        },
        { id: 'nudge', type: 'add_tag', tag: 'needs-nudge', next: 'done' },
        { id: 'booked', type: 'add_tag', tag: 'booked' },
        { id: 'done', type: 'end' },
      ],
    });
    contactId = (
      await addContact(env.container, accountId, {
        email: 'ada@example.com',
        firstName: 'Ada',
        lastName: 'Lovelace',
        tags: ['lead'],
      })
    ).id;
    await waitFor(() => sink.accepted.length > 0, { what: 'the invitation email' });

    browser = await launchBrowser();
    context = await browser.newContext({ baseURL: baseUrl, viewport: { width: 1280, height: 860 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseUrl });
    page = await context.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await workers?.close();
    await sink?.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await env?.cleanup();
  });

  /** Presses a Copy button and returns what landed on the clipboard. */
  const copy = async (field: string): Promise<string> => {
    await page.evaluate(() => (globalThis as unknown as ClipboardWindow).navigator.clipboard.writeText(''));
    await page.click(`[data-copy="${field}"]`);
    return waitFor(
      () => page.evaluate(() => (globalThis as unknown as ClipboardWindow).navigator.clipboard.readText()),
      { what: `the copied ${field}` },
    );
  };

  it('signs in with an API key', async () => {
    await page.goto('/app/contacts');
    expect(new URL(page.url()).pathname).toBe('/app/login');
    await page.fill('#apiKey', 'lf_wrong');
    await page.click('button[type=submit]');
    await page.getByText('That API key is not valid.').waitFor();
    await page.fill('#apiKey', apiKey);
    await page.click('button[type=submit]');
    await page.waitForURL('**/app/contacts');
    await page.getByRole('link', { name: 'Ada Lovelace' }).waitFor();
    await screenshot(page, 'console-contacts');
  });

  it("opens a calendar's Share dialog, copies each link, and generates a new one-time link that books", async () => {
    await page.goto('/app/calendars');
    await page.getByRole('button', { name: 'Menu of Discovery call' }).click();
    await page.getByRole('link', { name: 'Share', exact: true }).click();
    await page.getByRole('dialog').waitFor();

    expect(await copy('share-scheduling')).toBe(`${baseUrl}/c/discovery`);
    await page.getByRole('tab', { name: 'Permanent Link' }).click();
    expect(await copy('share-permanent')).toBe(`${baseUrl}/c/${calendarId}`);
    await page.getByRole('tab', { name: 'Embed Code' }).click();
    expect(await copy('share-embed')).toContain(`<iframe src="${baseUrl}/c/discovery"`);

    await page.getByRole('tab', { name: 'One Time Link' }).click();
    await page.getByRole('button', { name: 'Generate New Link' }).click();
    await page.locator('#share-one-time').waitFor();
    const first = await copy('share-one-time');
    expect(first).toMatch(new RegExp(`^${baseUrl}/book/[A-Za-z0-9_-]{43}$`));
    const firstLinkId = new URL(page.url()).searchParams.get('link');
    await page.getByRole('button', { name: 'Generate New Link' }).click();
    await page.waitForURL((url) => url.searchParams.get('link') !== firstLinkId);
    const second = await copy('share-one-time');
    expect(second).toMatch(new RegExp(`^${baseUrl}/book/[A-Za-z0-9_-]{43}$`));
    expect(second).not.toBe(first);
    const booking = await fetch(second);
    expect(booking.status).toBe(200);
    expect(await booking.text()).toContain('Discovery call');
    await screenshot(page, 'console-share-dialog');
  });

  it('flags an error in the workflow editor next to its line', async () => {
    await page.goto('/app/workflows');
    await page.getByRole('link', { name: 'Book a call' }).click();
    await page.locator('svg.workflow-graph').waitFor();
    await screenshot(page, 'console-workflow');
    if (UPDATE_DOCS)
      copyFileSync(await screenshot(page, 'console-workflow-view'), path.resolve(__dirname, '../../docs/console.png'));

    const source = await page.inputValue('#definition');
    const lines = source.split('\n');
    const index = lines.findIndex((line) => line.includes('onTimeout: nudge'));
    lines[index] = lines[index]!.replace('onTimeout: nudge', 'onTimeout: nowhere');
    await page.fill('#definition', lines.join('\n'));
    await page.getByRole('button', { name: 'Check' }).click();
    const flagged = page.locator(`#line-${index + 1}.has-issue .issue`);
    await flagged.waitFor();
    expect(await flagged.textContent()).toContain("goes to 'nowhere', which does not exist");
    expect(await page.locator('.has-issue').count()).toBe(1);
    await flagged.scrollIntoViewIfNeeded();
    await screenshot(page, 'console-editor-error');
  });

  it('opens a contact and shows the email that carried its one-time link', async () => {
    await page.goto('/app/contacts?q=ada');
    await page.getByRole('link', { name: 'Ada Lovelace' }).click();
    const saved = page.locator('#custom-fields a');
    const link = (await saved.getAttribute('href'))!;
    expect(link).toMatch(new RegExp(`^${baseUrl}/book/`));
    await page.getByText('Email: Book your discovery call').waitFor();
    const preview = page.frameLocator('iframe.email-preview');
    expect(await preview.getByRole('link', { name: 'Pick a time' }).getAttribute('href')).toBe(link);
    expect(await preview.locator('body').textContent()).toContain('Hi Ada,');
    expect(sink.accepted[0]!.parsed!.html).toContain(`href="${link}"`); // the very email the contact got
    expect(await page.locator('table.links .status').first().textContent()).toBe('active');
    expect(await page.locator('table.links .copy-value').first().textContent()).toBe(link);
    await screenshot(page, 'console-contact');
  });

  it("shows a run's timeline", async () => {
    const [run] = await runsOf(
      env.container,
      (await env.container.db.query('SELECT id FROM workflows WHERE slug = $1', ['book-a-call']))[0].id,
    );
    await page.goto(`/app/contacts/${contactId}`);
    await page.getByRole('link', { name: 'Book a call' }).click();
    await page.waitForURL(`**/app/runs/${run!.id}`);
    const steps = page.locator('#timeline > li');
    expect(await steps.evaluateAll((items) => items.map((item) => item.getAttribute('data-step')))).toEqual([
      'link',
      'invite',
      'wait',
    ]);
    expect(await page.locator('li[data-step="link"] .step-output').textContent()).toContain('"linkId"');
    expect(await page.locator('li[data-step="wait"] .status').textContent()).toBe('waiting');
    await screenshot(page, 'console-run');
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Cancel run' }).click();
    await page.locator('h1 .status-cancelled').waitFor();
  });

  it("shows operators the queues' dashboard behind the same sign-in", async () => {
    const blocked: string[] = [];
    page.on('console', (message) => {
      if (
        message.type() === 'error' &&
        /Content Security Policy/i.test(message.text()) &&
        !/fonts\.googleapis/.test(message.text())
      )
        blocked.push(message.text());
    });
    await page.goto('/admin/queues');
    await page.getByText('steps', { exact: true }).first().click();
    await page.getByText('Loading...').waitFor({ state: 'hidden', timeout: 15_000 });
    await screenshot(page, 'console-queues');
    expect(blocked).toEqual([]);
  });
});
